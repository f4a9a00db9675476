FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY prompts ./prompts
COPY knowledge ./knowledge
COPY eval ./eval
# editable install: prompts/, knowledge/ and the web templates are read from /app
RUN pip install --no-cache-dir -e .
ENV ZONGJIE_DATA_DIR=/data ZONGJIE_SAMPLE_CORPUS=/app/knowledge/corpus ANONYMIZED_TELEMETRY=False
EXPOSE 8000
CMD ["zongjie", "serve", "--host", "0.0.0.0", "--port", "8000"]
