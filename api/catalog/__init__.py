"""/api/v1/catalog: catalogue import (upload) and export."""
