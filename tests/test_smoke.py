def test_home_lists_published_event(client, make_event):
    make_event(title="Győri Mesterkurzus")
    response = client.get("/")
    assert response.status_code == 200
    assert "Győri Mesterkurzus" in response.get_data(as_text=True)
