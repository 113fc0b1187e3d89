"""Uploading a file through the import page and checking it, as the file-handling tests do."""

from __future__ import annotations

import io

from sqlalchemy import select

from portal.models import ImportBatch


def upload(client, data: bytes, name: str = "dtks.csv", source: str = "DTKS"):
    form = {"kind": "recipients", "source": source, "default_category_id": "0"}
    form["file"] = (io.BytesIO(data), name)
    return client.post("/registry/imports/new", data=form, content_type="multipart/form-data")


def checked(client, db, data: bytes, name: str = "dtks.csv") -> tuple[ImportBatch, str]:
    """Upload (accepted), confirm the columns; the check runs; the batch and its page."""
    response = upload(client, data, name)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    batch = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    mapping = {field: str(index) for field, index in batch.mapping.items()}
    response = client.post(f"/registry/imports/{batch.id}/mapping", data=mapping)
    assert response.status_code == 302
    page = client.get(f"/registry/imports/{batch.id}")
    assert page.status_code == 200
    db.session.refresh(batch)
    return batch, page.get_data(as_text=True)
