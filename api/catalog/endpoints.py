"""/api/v1/catalog: upload a catalogue (CSV, .zip of CSVs, .xlsx) and download it.

The upload is read whole into memory up to ``max_upload_bytes`` (413 beyond), its type is
decided by its name (415 for anything but .csv, .zip, .xlsx), and it is imported in the
request's transaction: valid rows are committed together, rejected rows are reported."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from api.catalog.schemas import ImportReportRead, RejectedRow
from api.deps import AdminPrincipal, SessionDep
from api.problems import responses
from api.uploads import read_limited, row_field_errors
from matcher.catalog.export import export_bytes
from matcher.catalog.importer import import_catalogue
from matcher.catalog.tabular import SUPPORTED_SUFFIXES, read_bytes
from matcher.clock import today
from matcher.config import get_settings
from matcher.errors import (
    InvalidInput,
    RowErrors,
    UnsupportedMedia,
)

router = APIRouter(prefix="/catalog", tags=["Katalog (impor/ekspor)"])

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


@router.post(
    "/import",
    response_model=ImportReportRead,
    responses=responses(401, 403, 413, 415, 422),
)
def import_upload(
    file: Annotated[
        UploadFile,
        File(
            description="suppliers.csv, offers.csv, agencies.csv, .zip berisi CSV itu, atau .xlsx"
        ),
    ],
    session: SessionDep,
    principal: AdminPrincipal,
) -> ImportReportRead:
    """Import a catalogue file (tim pengelola only). Valid rows are committed, rejected rows
    are listed with file, spreadsheet row, column and reason. A file of which nothing can be
    read is a 422 problem listing why."""
    filename = PurePosixPath((file.filename or "").replace("\\", "/")).name
    if PurePosixPath(filename).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsupportedMedia(
            "Jenis berkas tidak didukung: unggah suppliers.csv, offers.csv, agencies.csv, "
            ".zip berisi CSV tersebut, atau .xlsx"
        )
    limit = get_settings().max_upload_bytes
    data = read_limited(file, limit)
    try:
        source = read_bytes(filename, data, max_uncompressed=limit * 20)
    except RowErrors as error:
        raise InvalidInput(
            "Berkas tidak dapat dibaca: " + "; ".join(e.reason for e in error.errors),
            errors=row_field_errors(error.errors),
        ) from None
    report = import_catalogue(session, source, actor_user_id=principal.user_id)
    return ImportReportRead(
        inserted=report.inserted,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=[RejectedRow(**e.as_dict()) for e in report.rejected],
    )


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "content": {media: {} for media in MEDIA_TYPES.values()},
            "description": "Katalog dalam format spesifikasi",
        },
        **responses(401, 403, 422),
    },
)
def export_download(
    session: SessionDep,
    _admin: AdminPrincipal,
    fmt: Annotated[
        Literal["xlsx", "zip"], Query(alias="format", description="xlsx atau zip (CSV)")
    ] = "xlsx",
) -> Response:
    """Download the catalogue (tim pengelola only) in the spec's columns, formula-guarded."""
    data = export_bytes(session, fmt, today=today())
    name = f"katalog-{today().isoformat()}.{fmt}"
    return Response(
        content=data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
