"""All /api/v1 routers. Each domain package contributes one ``router``; one line each."""

from __future__ import annotations

from fastapi import APIRouter

from api.agencies.endpoints import router as agencies_router
from api.audit.endpoints import router as audit_router
from api.auth.endpoints import router as auth_router
from api.catalog.endpoints import router as catalog_router
from api.certificates.endpoints import router as certificates_router
from api.classify.endpoints import router as classify_router
from api.complaints.endpoints import router as complaints_router
from api.dashboard.endpoints import router as dashboard_router
from api.documents.endpoints import router as documents_router
from api.needs.endpoints import router as needs_router
from api.offers.endpoints import router as offers_router
from api.opendata.endpoints import router as opendata_router
from api.orders.endpoints import router as orders_router
from api.plans.endpoints import router as plans_router
from api.public.endpoints import router as public_router
from api.reports.endpoints import router as reports_router
from api.scenarios.endpoints import router as scenarios_router
from api.suppliers.endpoints import router as suppliers_router
from api.taxonomy.endpoints import router as taxonomy_router
from api.users.endpoints import router as users_router

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth_router)
api_router.include_router(agencies_router)
api_router.include_router(certificates_router)
api_router.include_router(needs_router)
api_router.include_router(offers_router)
api_router.include_router(suppliers_router)
api_router.include_router(taxonomy_router)
api_router.include_router(users_router)
api_router.include_router(plans_router)
api_router.include_router(orders_router)
api_router.include_router(complaints_router)
api_router.include_router(documents_router)
api_router.include_router(audit_router)
api_router.include_router(classify_router)
api_router.include_router(catalog_router)
api_router.include_router(dashboard_router)
api_router.include_router(reports_router)
api_router.include_router(scenarios_router)
api_router.include_router(opendata_router)
api_router.include_router(public_router)
