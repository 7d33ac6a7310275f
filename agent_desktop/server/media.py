"""`GET /media/{path}`: product images and attachments from the media folder, never outside it."""

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
    ctx = get_ctx(request)
    target = resolve_media(ctx.media_dir, path)
    if target is None:
        raise ApiError(404, "not_found", "There is no such media file.")
    mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    etag = f'"{target.stat().st_mtime_ns:x}-{target.stat().st_size:x}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})
    return FileResponse(
        target,
        media_type=mime,
        headers={
            "Cache-Control": CACHE_CONTROL,
            "ETag": etag,
            "X-Content-Type-Options": "nosniff",
        },
    )
