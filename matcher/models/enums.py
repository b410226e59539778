"""Enumerations shared by the ORM, the services and the API schemas."""

from __future__ import annotations

import enum


class SizeClass(enum.StrEnum):
    """Business size class per PP 7/2021 Ps. 35."""

    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"
    BESAR = "besar"


class VerificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class CertificateType(enum.StrEnum):
    HALAL = "HALAL"
    PIRT = "PIRT"
    BPOM = "BPOM"
    SLHS = "SLHS"
    SNI = "SNI"


class Role(enum.StrEnum):
    ADMIN = "admin"  # tim pengelola, Dinas Koperasi dan UMKM
    OFFICER = "officer"  # pejabat pengadaan of one agency (SKPD)
    SUPPLIER = "supplier"  # owner of one supplier's catalogue
    PLANNER = "planner"  # Bappeda / Dinas planners: scenarios
    VIEWER = "viewer"  # read-only


class VerifiableEntity(enum.StrEnum):
    SUPPLIER = "supplier"
    OFFER = "offer"
    CERTIFICATE = "certificate"


class ChangeSource(enum.StrEnum):
    IMPORT = "import"
    API = "api"
    CLI = "cli"
    DEMO = "demo"


class NeedStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PLANNED = "planned"
    ORDERED = "ordered"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class PlanStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
