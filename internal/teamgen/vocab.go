package teamgen

// tagDef is one tag of the vocabulary. The slice order is the popularity
// rank: questions draw tags with a Zipf-like law over this order.
type tagDef struct {
	name     string
	lang     string   // code language most posts with this tag use ("" = pick by topic)
	synonyms []string // synonyms that redirect to this tag
	excerpt  string   // wiki excerpt; "" = the tag has no wiki
}

var tagVocab = []tagDef{
	{"python", "python", []string{"py", "python3"}, "Python is a dynamically typed, general-purpose language. Use a version tag such as python-3.x for version-specific questions."},
	{"javascript", "javascript", []string{"js", "ecmascript"}, "For questions about JavaScript (ECMAScript) in the browser or on the server. Not Java!"},
	{"go", "go", []string{"golang"}, "Go is the language most of our backend services are written in. Include the Go version (go version) when asking about toolchain behaviour."},
	{"java", "java", nil, "Java 17+ services and the legacy billing monolith (Java 8). Mention the JDK vendor and version."},
	{"c#", "csharp", []string{"csharp", "c-sharp"}, "C# questions: the .NET services (Payments, Reporting) and internal tools. Use .net for runtime or SDK questions."},
	{"typescript", "typescript", []string{"ts"}, "TypeScript across the web front end and the Node.js BFFs. Include your tsconfig when asking about compiler errors."},
	{"sql", "sql", nil, "Structured Query Language. Always tag the database too (postgresql, mysql, sql-server)."},
	{"docker", "dockerfile", []string{"dockerfile"}, "Building and running containers: images, Dockerfiles, compose files, registries."},
	{"kubernetes", "yaml", []string{"k8s"}, "Our clusters (prod-eu, prod-us, staging) run Kubernetes. Ask the Platform team in #platform for access issues."},
	{"react", "javascript", []string{"reactjs", "react.js"}, "React front ends: components, hooks, state management, rendering performance."},
	{"node.js", "javascript", []string{"nodejs", "node"}, "Node.js runtime questions: the event loop, npm packages, streams, worker threads."},
	{"bash", "bash", []string{"shell", "sh"}, "Shell scripting in Bash: CI scripts, one-liners, quoting and expansion pitfalls."},
	{"postgresql", "sql", []string{"postgres", "psql"}, "PostgreSQL 14/16 in RDS and the local dev containers. Include EXPLAIN (ANALYZE, BUFFERS) output for performance questions."},
	{"aws", "json", []string{"amazon-web-services"}, "Amazon Web Services: accounts, IAM, networking and managed services we use."},
	{"git", "bash", nil, "Version control with Git: branching, rebasing, hooks, and our monorepo workflow."},
	{".net", "csharp", []string{"dotnet", ".net-core"}, "The .NET runtime and SDK (6 and 8 LTS)."},
	{"c++", "cpp", []string{"cpp"}, "C++ (17/20) in the trading engine and the native SDK."},
	{"terraform", "hcl", []string{"tf"}, "Infrastructure as code with Terraform. Modules live in infra/modules."},
	{"rust", "rust", nil, "Rust services and CLI tools. Include the toolchain (rustc --version) and relevant Cargo.toml parts."},
	{"yaml", "yaml", []string{"yml"}, "YAML syntax and its surprises (the Norway problem, anchors, multi-line strings)."},
	{"json", "json", nil, "JSON encoding, decoding, schemas and streaming."},
	{"ci-cd", "yaml", []string{"continuous-integration"}, "Build and deploy pipelines."},
	{"github-actions", "yaml", nil, "Workflows in .github/workflows, self-hosted runners, reusable actions."},
	{"linux", "bash", nil, "Linux hosts and containers: processes, permissions, systemd, networking."},
	{"kafka", "java", []string{"apache-kafka"}, "Event streaming on the shared Kafka clusters: topics, consumer groups, schemas."},
	{"redis", "python", nil, "Redis as a cache, lock service and rate limiter."},
	{"grpc", "go", nil, "gRPC APIs between services; proto files live in the api/ repository."},
	{"rest-api", "json", []string{"rest"}, "Designing and consuming REST APIs. See the API style guide article first."},
	{"testing", "python", nil, "General testing questions; prefer a framework tag when there is one."},
	{"performance", "go", []string{"optimization"}, "Latency, throughput, profiling and benchmarking."},
	{"security", "bash", nil, "Application and infrastructure security. Never paste secrets, tokens or customer data."},
	{"oauth", "json", []string{"oauth2"}, "OAuth 2.0 and OIDC flows with the internal identity provider."},
	{"nginx", "bash", nil, "nginx as reverse proxy and ingress controller."},
	{"spring-boot", "java", nil, "Spring Boot 3 services."},
	{"django", "python", nil, "Django apps: the admin portal and the reporting UI."},
	{"flask", "python", nil, ""},
	{"asp.net-core", "csharp", []string{"aspnetcore"}, "ASP.NET Core web APIs and middleware."},
	{"entity-framework", "csharp", []string{"ef-core"}, ""},
	{"graphql", "javascript", nil, "The public GraphQL gateway and its schema."},
	{"mysql", "sql", nil, "The legacy MySQL 5.7 databases (being migrated to PostgreSQL)."},
	{"mongodb", "javascript", []string{"mongo"}, ""},
	{"elasticsearch", "json", nil, "Search clusters and index mappings."},
	{"prometheus", "yaml", nil, "Metrics, PromQL and alerting rules."},
	{"grafana", "json", nil, "Dashboards and alerts."},
	{"helm", "yaml", nil, "Helm charts in deploy/charts."},
	{"ansible", "yaml", nil, ""},
	{"jenkins", "bash", nil, "The old Jenkins instance (read-only since the move to GitHub Actions)."},
	{"maven", "xml", nil, ""},
	{"gradle", "kotlin", nil, ""},
	{"npm", "json", []string{"npm-install"}, "npm, the internal registry mirror, lockfiles."},
	{"webpack", "javascript", nil, ""},
	{"css", "css", nil, "Styling, layout, the design-system tokens."},
	{"html", "html", nil, ""},
	{"regex", "python", []string{"regular-expression"}, "Regular expressions. Say which engine (RE2, PCRE, .NET, JavaScript)."},
	{"unicode", "python", []string{"utf-8"}, "Unicode text, encodings, normalisation and grapheme clusters."},
	{"datetime", "python", nil, ""},
	{"timezone", "java", []string{"time-zone"}, ""},
	{"logging", "go", nil, "Structured logging and the log pipeline."},
	{"monitoring", "yaml", nil, ""},
	{"concurrency", "go", nil, ""},
	{"memory-leak", "java", nil, ""},
	{"async-await", "csharp", nil, ""},
	{"unit-testing", "csharp", nil, ""},
	{"pytest", "python", nil, "pytest fixtures, parametrisation and plugins."},
	{"jest", "typescript", nil, ""},
	{"junit", "java", nil, ""},
	{"goroutines", "go", nil, ""},
	{"generics", "go", nil, ""},
	{"pandas", "python", nil, "Data frames in the analytics notebooks."},
	{"numpy", "python", nil, ""},
	{"airflow", "python", nil, "DAGs on the data platform's Airflow."},
	{"spark", "scala", []string{"apache-spark", "pyspark"}, ""},
	{"s3", "bash", []string{"amazon-s3"}, ""},
	{"lambda", "python", []string{"aws-lambda"}, ""},
	{"iam", "json", nil, ""},
	{"azure", "powershell", nil, ""},
	{"gcp", "bash", nil, ""},
	{"bigquery", "sql", nil, ""},
	{"snowflake", "sql", nil, ""},
	{"protobuf", "protobuf", nil, ""},
	{"websocket", "javascript", nil, ""},
	{"http", "bash", nil, ""},
	{"tls", "bash", []string{"ssl"}, "Certificates, mTLS between services and cert-manager."},
	{"dns", "bash", nil, ""},
	{"caching", "go", nil, ""},
	{"feature-flags", "typescript", nil, ""},
	{"onboarding", "", nil, "Getting set up: laptops, accounts, access requests, first week."},
	{"code-review", "", nil, ""},
	{"architecture", "", nil, "Design decisions and ADRs."},
	{"microservices", "go", nil, ""},
	{"monorepo", "bash", nil, ""},
	{"bazel", "python", nil, ""},
	{"cmake", "cmake", nil, ""},
	{"windows", "powershell", nil, ""},
	{"macos", "bash", nil, ""},
	{"vscode", "json", []string{"visual-studio-code"}, ""},
	{"powershell", "powershell", nil, ""},
	{"excel", "", nil, ""},
	{"csv", "python", nil, ""},
	{"xml", "xml", nil, ""},
	{"encoding", "python", nil, ""},
	{"i18n", "typescript", []string{"internationalization"}, ""},
	{"accessibility", "html", []string{"a11y"}, ""},
	{"android", "kotlin", nil, ""},
	{"ios", "swift", nil, ""},
	{"swift", "swift", nil, ""},
	{"kotlin", "kotlin", nil, ""},
	{"ruby", "ruby", nil, ""},
	{"ruby-on-rails", "ruby", []string{"rails"}, ""},
	{"php", "php", nil, ""},
	{"scala", "scala", nil, ""},
	{"c", "c", nil, ""},
	{"sqlite", "sql", nil, ""},
	{"sql-server", "sql", []string{"mssql"}, ""},
	{"oracle", "sql", nil, ""},
	{"vault", "hcl", nil, "HashiCorp Vault for secrets."},
	{"argocd", "yaml", nil, ""},
	{"istio", "yaml", nil, ""},
	{"opentelemetry", "go", []string{"otel"}, ""},
	{"sentry", "javascript", nil, ""},
	{"pagerduty", "", nil, ""},
	{"on-call", "", nil, "On-call rotations, runbooks, and incident response."},
	{"postmortem", "", nil, ""},
}

// topic is what questions about a language family talk about.
type topic struct {
	things  []string // noun phrases
	errors  []string // error messages as the tools print them
	actions []string // verb phrases
}

var topics = map[string]topic{
	"go": {
		things:  []string{"a goroutine leak", "context cancellation", "the http.Client timeout", "a nil map write", "generic type constraints", "sync.Pool", "go:embed directives", "a data race in the cache", "errgroup", "slog handlers", "module replace directives", "io.Pipe"},
		errors:  []string{"panic: assignment to entry in nil map", "fatal error: all goroutines are asleep - deadlock!", "context deadline exceeded", "undefined: slices.Collect", "cannot use x (variable of type int) as string value", "http: superfluous response.WriteHeader call", "go: updates to go.mod needed"},
		actions: []string{"cancel a running query", "stream a large response", "retry with backoff", "mock the HTTP client", "embed static files", "limit concurrency", "read a gzip body"},
	},
	"python": {
		things:  []string{"an async generator", "the GIL", "a pandas DataFrame merge", "dataclass defaults", "a virtualenv", "type hints with Protocol", "a pytest fixture", "asyncio.gather", "the logging config", "a circular import", "pip's resolver", "pathlib"},
		errors:  []string{"TypeError: 'NoneType' object is not subscriptable", "ModuleNotFoundError: No module named 'app'", "RuntimeError: Event loop is closed", "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9", "KeyError: 'customer_id'", "RecursionError: maximum recursion depth exceeded"},
		actions: []string{"parallelise a loop", "parse a huge CSV", "pin dependencies", "patch datetime.now in tests", "profile memory usage", "read a file lazily"},
	},
	"javascript": {
		things:  []string{"an unhandled promise rejection", "useEffect cleanup", "the event loop", "a memory leak in a closure", "ES modules vs CommonJS", "fetch with AbortController", "a React key warning", "Array.prototype.reduce", "a Web Worker", "JSON.stringify of a Map"},
		errors:  []string{"TypeError: Cannot read properties of undefined (reading 'map')", "Uncaught SyntaxError: Unexpected token '<'", "ReferenceError: process is not defined", "Error [ERR_REQUIRE_ESM]: require() of ES Module", "Warning: Each child in a list should have a unique \"key\" prop."},
		actions: []string{"debounce an input", "cancel a fetch", "deep-clone an object", "lazy-load a route", "stream a file upload"},
	},
	"typescript": {
		things:  []string{"a discriminated union", "conditional types", "strictNullChecks", "a generic constraint", "declaration merging", "path aliases in tsconfig", "the satisfies operator", "an enum vs a union of literals"},
		errors:  []string{"TS2322: Type 'string | undefined' is not assignable to type 'string'.", "TS2345: Argument of type 'unknown' is not assignable to parameter of type 'Order'.", "TS7016: Could not find a declaration file for module 'legacy-sdk'.", "TS2589: Type instantiation is excessively deep and possibly infinite."},
		actions: []string{"type a reducer", "narrow an unknown error", "share types with the backend", "type an event emitter"},
	},
	"java": {
		things:  []string{"a CompletableFuture chain", "the G1 garbage collector", "a Spring bean cycle", "a JPA N+1 query", "virtual threads", "Jackson polymorphic types", "a Kafka consumer rebalance", "the connection pool", "ZonedDateTime"},
		errors:  []string{"java.lang.OutOfMemoryError: Java heap space", "org.hibernate.LazyInitializationException: could not initialize proxy - no Session", "java.util.ConcurrentModificationException", "BeanCurrentlyInCreationException: Requested bean is currently in creation", "java.net.SocketTimeoutException: Read timed out"},
		actions: []string{"tune the heap", "test a scheduled job", "map a nullable column", "stream query results"},
	},
	"csharp": {
		things:  []string{"async void handlers", "IAsyncEnumerable", "an EF Core migration", "dependency injection scopes", "IOptions<T> reloading", "a Span<byte>", "HttpClientFactory", "nullable reference types", "LINQ deferred execution"},
		errors:  []string{"System.InvalidOperationException: A second operation was started on this context instance", "System.NullReferenceException: Object reference not set to an instance of an object.", "CS8618: Non-nullable property 'Name' must contain a non-null value", "System.ObjectDisposedException: Cannot access a disposed object."},
		actions: []string{"cancel a background service", "mock HttpClient", "configure Kestrel limits", "batch inserts"},
	},
	"cpp": {
		things:  []string{"a dangling reference", "move semantics", "std::variant visitation", "undefined behaviour in the parser", "a lock-free queue", "template specialisation", "the ABI of std::string", "CMake target properties"},
		errors:  []string{"error: use of deleted function", "AddressSanitizer: heap-use-after-free", "undefined reference to `vtable for Session'", "terminate called after throwing an instance of 'std::bad_alloc'"},
		actions: []string{"avoid a copy", "profile cache misses", "link a static library", "parse a binary protocol"},
	},
	"sql": {
		things:  []string{"a slow LEFT JOIN", "a missing index", "window functions", "a deadlock between two transactions", "NULL handling in NOT IN", "a recursive CTE", "partitioned tables", "isolation levels"},
		errors:  []string{"ERROR: deadlock detected", "ERROR: duplicate key value violates unique constraint \"orders_pkey\"", "ERROR: column \"created_at\" must appear in the GROUP BY clause", "canceling statement due to statement timeout"},
		actions: []string{"upsert rows", "paginate without OFFSET", "find duplicate rows", "migrate a column without downtime"},
	},
	"bash": {
		things:  []string{"word splitting", "set -euo pipefail", "a here-doc", "process substitution", "xargs with spaces", "a cron job environment", "file descriptors", "trap on EXIT"},
		errors:  []string{"bash: syntax error near unexpected token `fi'", "Permission denied (publickey).", "/usr/bin/env: 'bash\\r': No such file or directory", "Argument list too long"},
		actions: []string{"loop over file names with spaces", "retry a command", "parse JSON in a script", "run steps in parallel"},
	},
	"yaml": {
		things:  []string{"a readiness probe", "resource limits", "a Helm values override", "a CronJob", "an anchor and alias", "a multi-line string", "a matrix build", "a PodDisruptionBudget"},
		errors:  []string{"CrashLoopBackOff", "OOMKilled", "error converting YAML to JSON: yaml: line 12: mapping values are not allowed in this context", "ImagePullBackOff"},
		actions: []string{"roll back a deployment", "share steps between workflows", "mount a secret as a file", "scale on queue length"},
	},
	"rust": {
		things:  []string{"a borrow checker error", "lifetimes in a struct", "async traits", "Arc<Mutex<T>>", "serde enums", "a tokio runtime inside a runtime", "error handling with thiserror", "Pin"},
		errors:  []string{"error[E0502]: cannot borrow `self.cache` as mutable because it is also borrowed as immutable", "error[E0277]: `Rc<RefCell<Node>>` cannot be sent between threads safely", "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value'"},
		actions: []string{"share state between tasks", "deserialise a tagged enum", "return an iterator", "cross-compile for ARM"},
	},
	"": {
		things:  []string{"the release process", "access to the staging cluster", "the on-call handover", "the API style guide", "secrets rotation", "the incident template", "dependency upgrades", "the design review"},
		errors:  []string{"403 Forbidden", "502 Bad Gateway", "certificate has expired", "connection refused"},
		actions: []string{"request production access", "hand over on-call", "propose an architecture change", "rotate a credential"},
	},
}

// topicFamily maps a code language to the topic pool that talks about it.
func topicFamily(lang string) string {
	switch lang {
	case "go", "python", "javascript", "typescript", "java", "csharp", "cpp", "sql", "bash", "yaml", "rust":
		return lang
	case "c":
		return "cpp"
	case "kotlin", "scala":
		return "java"
	case "powershell", "dockerfile":
		return "bash"
	case "json", "hcl", "xml", "protobuf":
		return "yaml"
	case "html", "css", "swift", "php", "ruby":
		return "javascript"
	case "cmake":
		return "cpp"
	}
	return ""
}

// Services, people and other names that make posts read like one company's.
var (
	services   = []string{"billing-api", "ledger", "auth-gateway", "search-indexer", "notifications", "checkout", "inventory-sync", "reporting", "atlas", "hermes", "data-pipeline", "feature-store", "payments-worker", "customer-portal", "shipping-rates"}
	envNames   = []string{"staging", "prod-eu", "prod-us", "dev", "the load-test environment", "CI"}
	firstNames = []string{"Ana", "Bjørn", "Chen", "Dmitri", "Émilie", "Fatima", "Gabriel", "Hiroshi", "Ingrid", "Jamal", "Kateřina", "Liam", "María José", "Nnamdi", "Olga", "Priya", "Quentin", "Rachel", "Søren", "Tomás", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Mat", "Seán", "Renée", "Ali", "Noa", "Ye-jin"}
	lastNames  = []string{"Okafor", "Müller", "Nakamura", "O'Brien", "García", "Kowalski", "Haddad", "Svensson", "Ivanova", "Smith", "Ng", "de la Cruz", "Van der Berg", "Øvergaard", "Rossi", "Patel", "Dubois", "Kim", "Cohen", "Silva", "D'Angelo", "Fischer & Sons"}
	locations  = []string{"Berlin, Germany", "London, UK", "New York, NY", "Bengaluru, India", "São Paulo, Brazil", "Tokyo, Japan", "Lagos, Nigeria", "Kraków, Poland", "Remote", "Toronto, Canada", "Tel Aviv, Israel", "Zürich, Switzerland", ""}
	teamsNames = []string{"Platform", "Payments", "Data", "Mobile", "Growth", "SRE", "Security", "Developer Experience", "Search", "Core API"}
)

// Unicode sentences: CJK, emoji and right-to-left text people paste into
// posts. Each is a complete sentence.
var unicodeSentences = []string{
	"The Tokyo team sees this too: 「ファイルが見つかりません」 appears in the log.",
	"Customer names like 王小明 and 김민준 come back as ??? from the export.",
	"The Hebrew label שלום עולם renders left-to-right in the PDF.",
	"Arabic product names (مرحبا بالعالم) break the truncation logic.",
	"Deploys are green again 🎉🚀, thanks everyone!",
	"It fails only for the Greek locale (Ελληνικά) and for Turkish dotless ı.",
	"The emoji in the commit message 👩‍💻 is counted as 5 characters, not 1.",
	"Our ticket title was „Fehlerbehebung für Größenänderung“ and it got mangled.",
	"Chinese users report 无法连接到服务器 when the VPN is off.",
	"The Hindi string नमस्ते दुनिया is cut in the middle of a cluster.",
}

// External sites posts link to.
var externalLinks = []struct{ text, url string }{
	{"the Go memory model", "https://go.dev/ref/mem"},
	{"PEP 8", "https://peps.python.org/pep-0008/"},
	{"MDN on Promise.all", "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Promise/all"},
	{"the PostgreSQL docs on EXPLAIN", "https://www.postgresql.org/docs/current/using-explain.html"},
	{"the Kubernetes probe docs", "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"},
	{"this Stack Overflow answer", "https://stackoverflow.com/a/11227902"},
	{"the Rust book chapter on lifetimes", "https://doc.rust-lang.org/book/ch10-03-lifetime-syntax.html"},
	{"the RFC", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"},
	{"Microsoft's guidance", "https://learn.microsoft.com/en-us/dotnet/csharp/asynchronous-programming/"},
	{"the Terraform registry page", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs"},
	{"Julia Evans' zine", "https://wizardzines.com/"},
	{"the ADR template", "https://github.com/joelparkerhenderson/architecture-decision-record"},
}
