"""Reading pages as a user would: the message beside a field, the flashed messages."""

import lxml.html


def field_error(response, field: str) -> str | None:
    """The error message shown beside a form field, or None."""
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    found = doc.xpath(f'//p[@class="error" and @id="{field}-error"]')
    if not found:
        return None
    # The message is tied to its field for screen readers.
    control = doc.xpath(f'//*[@id="{field}"]')[0]
    assert f"{field}-error" in control.get("aria-describedby", "")
    assert control.get("aria-invalid") == "true"
    return found[0].text_content().strip()


def flashes(response) -> list[str]:
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    return [p.text_content().strip() for p in doc.xpath('//p[contains(@class, "flash")]')]


def text(response) -> str:
    """The visible text of a page, with spaces normalised."""
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    return " ".join(doc.text_content().split())
