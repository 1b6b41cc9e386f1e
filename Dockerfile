# rnnviz as users would run it beyond one machine: see docs/deploy.md.
#   docker build -t rnnviz .
#   docker run -p 8501:8501 -e RNNVIZ_HOSTS=rnnviz.example.org --memory=1g --restart=unless-stopped rnnviz
# Needs no network when it runs: plotly.js is copied into ./static while the image is built (the
# plotly package's full bundle: the image has no npm for the cartesian one make fetches).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY app.py ./
COPY dashboard ./dashboard
COPY rnnviz ./rnnviz
COPY static ./static
COPY .streamlit ./.streamlit
RUN python -c "from dashboard import live_plot; live_plot.plotly_js()" \
    && useradd --create-home --uid 10001 rnnviz
USER rnnviz

EXPOSE 8501
# The health check Streamlit answers; an orchestrator restarts a container that stops
# answering (cheap: a visitor's view comes back from the URL).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"
# RNNVIZ_HOSTS: the host names visitors use, comma-separated (websockets naming any other
# host are refused: DNS rebinding). The default serves only the container's own name.
ENV RNNVIZ_HOSTS=localhost
CMD ["sh", "-c", "exec streamlit run app.py --server.address=0.0.0.0 --server.port=8501 $(echo \"$RNNVIZ_HOSTS\" | tr ',' '\\n' | sed 's/^/--server.allowedHosts=/')"]
