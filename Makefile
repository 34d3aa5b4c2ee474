# stackshelf — see README.md.
GO      ?= go
PKGS    := ./...

.PHONY: all build test run demo bench bench-small lint golden fuzz check deps clean screenshots

all: build

build:
	$(GO) build -o stackshelf .

# The test command of README.md and .ci/run.
test:
	$(GO) test -race -timeout 30m $(PKGS)

# Run the whole pipeline on the built-in demo (no account needed).
run demo:
	$(GO) run . demo

# Benchmarks of fetch and render at 10k and 100k simulated questions.
# Figures are printed as benchmark metrics; see README.md "Performance".
bench:
	STACKSHELF_BENCH_LARGE=1 ./scripts/bench

# The 10k half only (a few minutes).
bench-small:
	./scripts/bench

# The screenshots of README.md: a question, a tag and an article in the
# light and the dark scheme at desktop width, taken by TestScreenshots in
# headless Chromium from the browser tests' generated site.
SHOTS := question tag article
screenshots:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	STACKSHELF_SCREENSHOTS=$$tmp $(GO) test ./render/browsertest -run '^TestScreenshots$$' -count=1 && \
	mkdir -p docs/screenshots && \
	for s in $(SHOTS); do for c in light dark; do \
		cp "$$tmp/$$s-desktop-$$c.png" docs/screenshots/; \
	done; done && ls -l docs/screenshots

lint:
	@out=$$(gofmt -l . | grep -v '^vendor/'); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@if command -v staticcheck >/dev/null; then staticcheck $(PKGS); fi

golden:
	$(GO) test ./render ./render/markdown -update

fuzz:
	$(GO) test ./render/markdown -run='^$$' -fuzz=FuzzConvert -fuzztime=60s

# Dependency direction (STYLE.md 2.1): snapshot, serve and themes import no
# project package; fetch, render and search never import each other.
deps:
	./scripts/checkdeps

check: lint deps test

clean:
	rm -rf public/* .stackshelf-cache stackshelf
	git checkout -- public/README.md 2>/dev/null || true
