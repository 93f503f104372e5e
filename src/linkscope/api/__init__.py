"""The JSON API (FastAPI) over the report library, and the server that also hosts the web UI.

    create_app(index, api_key=None, query_timeout=10.0)   the ASGI app: /api/v1/* and the UI
    serve(index, host, port, api_key=None)                 run it in the foreground (uvicorn)
"""

from linkscope.api.app import create_app
from linkscope.api.server import serve

__all__ = ["create_app", "serve"]
