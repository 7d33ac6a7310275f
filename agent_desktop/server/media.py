"""`GET /media/{path}`: product images and attachments from the media folder, never outside it.

Only raster images (PNG, JPEG, GIF, WebP) are served inline; every other file is served as an
`attachment` of type `application/octet-stream`. Every answer carries `nosniff` and a CSP that
forbids scripts, so a customer's HTML or SVG attachment never runs on the server's origin.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from agent_desktop.server.deps import get_ctx
from agent_desktop.server.errors import ApiError
from agent_desktop.server.openapi_errors import NOT_MODIFIED, errors

router = APIRouter()

CACHE_CONTROL = "public, max-age=86400"
# Served inline with their own type: raster images only. SVG is not here (it can hold scripts).
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Nothing served from /media may load, run or frame anything, even when opened in a browser.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def resolve_media(media_dir: Path, relative: str) -> Path | None:
    """The file under `media_dir` that `relative` names, or None (missing, or outside)."""
    if not relative or "\x00" in relative or relative.startswith(("/", "\\")):
        return None
    base = media_dir.resolve()
    try:
        target = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if not target.is_relative_to(base) or target == base or not target.is_file():
        return None
    return target


@router.get("/media/{path:path}", responses={304: NOT_MODIFIED, **errors(400, 404)})
async def media(path: str, request: Request) -> Response:
    """Allow-listed image types inline; anything else (HTML, SVG, PDF, video...) only as a
    download, as opaque bytes, so nothing from the media folder runs on the server's origin."""
    ctx = get_ctx(request)
    target = resolve_media(ctx.media_dir, path)
    if target is None:
        raise ApiError(404, "not_found", "There is no such media file.")
    mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    inline = mime in INLINE_TYPES
    stat = target.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    headers = {
        "Cache-Control": CACHE_CONTROL,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": MEDIA_CSP,
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    if inline:
        return FileResponse(
            target,
            media_type=mime,
            headers=headers,
            filename=target.name,
            content_disposition_type="inline",
        )
    return FileResponse(
        target,
        media_type="application/octet-stream",
        headers=headers,
        filename=target.name,
        content_disposition_type="attachment",
    )
