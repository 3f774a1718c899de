"""Active content is found by parsing the PDF: escaped names, compressed object streams, name trees."""

from __future__ import annotations

import io

import pikepdf
import pytest

from warden.lib.pdf_safety import UnreadablePdf, active_content


def _pdf(build: object = None, *, object_streams: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if callable(build):
        build(pdf)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(out, object_stream_mode=mode, compress_streams=object_streams)
    return out.getvalue()


def _js_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )


def test_a_plain_pdf_has_no_active_content() -> None:
    assert active_content(_pdf()) == []


def test_a_link_is_not_active_content() -> None:
    def link(pdf: pikepdf.Pdf) -> None:
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 100, 20],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")),
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))

    assert active_content(_pdf(link)) == []


def test_a_pdf_made_by_weasyprint_with_links_is_accepted() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    html = '<h1>Licence</h1><p><a href="https://example.org/verify/abc">verify</a></p>'
    assert active_content(weasyprint.HTML(string=html).write_pdf()) == []


def test_javascript_in_an_open_action_is_found() -> None:
    found = active_content(_pdf(_js_open_action))
    assert found and "JavaScript" in found[0]


def test_javascript_inside_a_compressed_object_stream_is_found() -> None:
    content = _pdf(_js_open_action, object_streams=True)
    assert b"JavaScript" not in content  # invisible to a byte search: the object is compressed
    assert any("JavaScript" in f for f in active_content(content))


def test_a_name_written_with_hash_escapes_is_found() -> None:
    content = _pdf(_js_open_action).replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in content and b"/JS " not in content
    assert any("JavaScript" in f for f in active_content(content))


def test_a_launch_action_is_found() -> None:
    def launch(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))

    assert any("launch action" in f for f in active_content(_pdf(launch)))


def test_an_embedded_file_is_found() -> None:
    def attach(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(
            pdf, b"MZ\x90\x00", mime_type="application/x"
        )

    found = active_content(_pdf(attach, object_streams=True))
    assert any("embedded file" in f for f in found)


def test_an_xfa_form_is_found() -> None:
    def xfa(pdf: pikepdf.Pdf) -> None:
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[], XFA=pdf.make_stream(b"<xdp:xdp/>"))

    assert any("XFA" in f for f in active_content(_pdf(xfa)))


def test_what_cannot_be_read_is_not_cleared() -> None:
    with pytest.raises(UnreadablePdf, match="cannot be read"):
        active_content(b"%PDF-1.7\nthis is not a pdf at all")
    locked = io.BytesIO()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(UnreadablePdf, match="password"):
        active_content(locked.getvalue())
