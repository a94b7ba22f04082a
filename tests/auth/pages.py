"""Post a page's form exactly as a browser does: its own field names, and the button that was clicked."""

from lxml import html as lxml_html


def submit(client, url: str, button_text: str, fill: dict | None = None, *, page_url: str | None = None):
    """Open ``page_url`` (or ``url``), find the form whose button reads ``button_text``, fill it and click it.

    ``fill`` maps the *labels* of fields to values, so the test does not know the field names the
    page happens to use: it posts whatever names the rendered form carries.
    """
    page = client.get(page_url or url)
    assert page.status_code == 200, page.status_code
    tree = lxml_html.fromstring(page.get_data(as_text=True))
    for form in tree.forms:
        buttons = [b for b in form.xpath(".//button[@type='submit']") if b.text_content().strip() == button_text]
        if not buttons:
            continue
        data = dict(form.form_values())
        for label, value in (fill or {}).items():
            matches = form.xpath(".//label[normalize-space(text())=$t]", t=label)
            assert matches, f"no field labelled {label!r}"
            field = form.xpath(f".//*[@id='{matches[0].get('for')}']")[0]
            data[field.get("name")] = value
        button = buttons[0]
        if button.get("name"):  # a browser sends the clicked button's name and value
            data[button.get("name")] = button.get("value", "")
        return client.post(form.get("action") or url, data=data)
    raise AssertionError(f"no form with a {button_text!r} button on {page_url or url}")
