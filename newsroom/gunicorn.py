"""How `manage.py serve` (and so `make serve`) runs the site in production on one machine,
read from the environment.

HOST and PORT say where to listen (127.0.0.1:8000 by default); WEB_CONCURRENCY how many worker
processes to run (by default one per CPU core: the pages are CPU-bound, and a cached page is
served in well under a millisecond).
"""

import os

host = os.environ.get("HOST") or "127.0.0.1"
port = os.environ.get("PORT") or "8000"
bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
wsgi_app = "newsroom.wsgi:application"

# A worker stuck on one request longer than this is restarted; a slow client is cut off.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20

# Requests are logged by the web server in front, if any; errors always go to standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# No runtime control socket: the service manager starts, reloads and stops the server.
control_socket_disable = True

# Load the application once, before forking: workers share its memory and start at once.
preload_app = True
# The workers' heartbeat files live in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108  # gunicorn's advice; its files are mkstemp's
