"""Active content in a PDF, found by a real PDF parser (pikepdf, on qpdf), not by byte patterns.

Why a parser: a byte search for "/JavaScript" misses a name written with # escapes (`/J#61vaScript` is the
same name to every reader), an action inside a compressed object stream (PDF 1.5: most objects of a modern
file are in one), and an embedded file referenced through a name tree. qpdf reads every object of the file,
wherever it is stored, and decodes names, so each object's dictionary is checked as a viewer would read it.

What counts as active: JavaScript (actions, name trees, /JS entries), launch actions and other actions that
open or send files (GoToE, GoToR, ImportData, SubmitForm, RichMediaExecute), embedded files and file
attachments, XFA forms, rich media. Plain links (URI and GoTo actions) are not active content.
"""

from __future__ import annotations

import io

import pikepdf

ACTIVE_ACTIONS = {
    "/JavaScript": "a JavaScript action",
    "/Launch": "a launch action (runs a program or opens a file)",
    "/GoToE": "an action that opens an embedded file",
    "/GoToR": "an action that opens another file",
    "/ImportData": "an action that imports data from a file",
    "/SubmitForm": "an action that sends form data",
    "/RichMediaExecute": "a rich-media command",
}
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "embedded files",
    "/EF": "an embedded file",
    "/XFA": "an XFA form (scriptable)",
    "/RichMediaContent": "rich media",
}
ACTIVE_TYPES = {"/EmbeddedFile": "an embedded file"}
ACTIVE_SUBTYPES = {
    "/FileAttachment": "a file attachment",
    "/RichMedia": "rich media",
    "/Screen": "a media screen annotation",
}
MAX_FINDINGS = 5


class UnreadablePdf(ValueError):
    """The bytes are not a PDF a parser can read (damaged, or encrypted with a password)."""


def active_content(content: bytes) -> list[str]:
    """What is active in this PDF, one sentence per finding (at most MAX_FINDINGS); [] when nothing is.
    Raises UnreadablePdf when the parser cannot read the file, since what cannot be read cannot be cleared."""
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise UnreadablePdf("the PDF is protected by a password, so its content cannot be checked") from None
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise UnreadablePdf(f"the PDF cannot be read ({str(exc).splitlines()[0][:200]})") from None
    findings: list[str] = []
    with pdf:
        for obj in pdf.objects:  # every indirect object in the file, including those inside object streams
            for found in _findings_within(obj):
                findings.append(f"object {obj.objgen[0]}: {found}")
                if len(findings) >= MAX_FINDINGS:
                    return findings
    return findings


def _findings_within(obj: object) -> list[str]:
    """The object and the direct objects nested in it (an /OpenAction dictionary written inline in the
    catalog is not an object of its own). Indirect children are skipped: pdf.objects yields them itself."""
    out: list[str] = []
    stack = [obj]
    while stack:
        item = stack.pop()
        found = _finding(item)
        if found:
            out.append(found)
        if isinstance(item, pikepdf.Stream):
            children = list(item.stream_dict.values())
        elif isinstance(item, pikepdf.Dictionary):
            children = list(item.values())
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        stack.extend(
            c for c in children if isinstance(c, (pikepdf.Dictionary, pikepdf.Array)) and not c.is_indirect
        )
    return out


def _finding(obj: object) -> str | None:
    if isinstance(obj, pikepdf.Stream):
        d: pikepdf.Dictionary = obj.stream_dict
    elif isinstance(obj, pikepdf.Dictionary):
        d = obj
    else:
        return None
    for key in d:  # names arrive decoded: /J#61vaScript is /JavaScript here
        if str(key) in ACTIVE_KEYS:
            return ACTIVE_KEYS[str(key)]
    action = d.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) in ACTIVE_ACTIONS:
        return ACTIVE_ACTIONS[str(action)]
    kind = d.get("/Type")
    if isinstance(kind, pikepdf.Name) and str(kind) in ACTIVE_TYPES:
        return ACTIVE_TYPES[str(kind)]
    sub = d.get("/Subtype")
    if isinstance(sub, pikepdf.Name) and str(sub) in ACTIVE_SUBTYPES:
        return ACTIVE_SUBTYPES[str(sub)]
    return None
