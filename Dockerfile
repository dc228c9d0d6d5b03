# syntax=docker/dockerfile:1
# Wegweiser: one process per container, configured only through WEGWEISER_* variables.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/wegweiser
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY nlu ./nlu
COPY content ./content
COPY actions ./actions
# The NLU model is trained at build time, so a container starts answering at once.
RUN /opt/wegweiser/bin/pip install . \
 && WEGWEISER_DATA_DIR=/opt/wegweiser-var /opt/wegweiser/bin/wegweiser nlu train

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /var/lib/wegweiser --create-home wegweiser
COPY --from=build /opt/wegweiser /opt/wegweiser
COPY --from=build --chown=wegweiser:wegweiser /opt/wegweiser-var /var/lib/wegweiser
ENV PATH=/opt/wegweiser/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    WEGWEISER_DATA_DIR=/var/lib/wegweiser
USER 10001
WORKDIR /var/lib/wegweiser
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2).status == 200 else 1)"]
CMD ["wegweiser", "serve", "--host", "0.0.0.0", "--port", "8080"]
