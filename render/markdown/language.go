package markdown

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// languageAliases maps names used in fences, hints and tags to chroma lexer
// names or aliases. Names chroma already knows (go, python, c#, …) need no
// entry; these are the Stack Overflow spellings it does not.
var languageAliases = map[string]string{
	"cs":            "csharp",
	"golang":        "go",
	"node.js":       "javascript",
	"nodejs":        "javascript",
	"node":          "javascript",
	"jquery":        "javascript",
	"es6":           "javascript",
	"ecmascript":    "javascript",
	"shell":         "bash",
	"sh":            "bash",
	"zsh":           "bash",
	"console":       "bash-session",
	"terminal":      "bash-session",
	"shell-session": "bash-session",
	"vb":            "vb.net",
	"vbnet":         "vb.net",
	"objc":          "objective-c",
	"sql-server":    "tsql",
	"t-sql":         "tsql",
	"mssql":         "tsql",
	"oracle":        "sql",
	"ps":            "powershell",
	"ps1":           "powershell",
	"pwsh":          "powershell",
	"yml":           "yaml",
	"f#":            "fsharp",
	"dockerfile":    "docker",
	"tex":           "latex",
	"md":            "markdown",
	"kt":            "kotlin",
	"rs":            "rust",
	"rb":            "ruby",
	"py":            "python",
	"py3":           "python",
	"python3":       "python",
	"ts":            "typescript",
	"jsx":           "react",
	"hs":            "haskell",
	"pl":            "perl",
	"clj":           "clojure",
	"proto":         "protobuf",
	"make":          "makefile",
	"sass":          "scss",
	"xhtml":         "html",
	"csv":           "plaintext",
	"sqlite":        "sql",
	"mariadb":       "mysql",
	"postgres":      "postgresql",
	"psql":          "postgresql",
	"pgsql":         "postgresql",
	"html+razor":    "html",
	"razor":         "html",
	"cshtml":        "html",
	"less":          "css",
	"objective-c++": "objective-c",
	"cuda":          "cpp",
	"c++14":         "cpp",
	"c++20":         "cpp",
	"jinja2":        "django",
	"mustache":      "handlebars",
	"xaml":          "xml",
	"plist":         "xml",
	"sbt":           "scala",
	"apex":          "java",
	"js-console":    "javascript",
	"batch":         "batch",
	"cmd":           "batch",
	"bat":           "batch",
	"matlab":        "matlab",
	"assembly":      "nasm",
	"asm":           "nasm",
	"c++11":         "cpp",
	"c++17":         "cpp",
	"cplusplus":     "cpp",
	"visual-c++":    "cpp",
	"excel-vba":     "vb.net",
	"vba":           "vb.net",
	"hcl":           "terraform",
	"jinja":         "django",
	"ansible":       "yaml",
	"kubernetes":    "yaml",
	"json5":         "json",
	"jsonc":         "json",
	"graphql-js":    "graphql",
	"applescript":   "applescript",
}

// tagLanguages maps Stack Overflow tags to languages for the tag fallback.
// It is deliberately curated: tags such as "docker", "git" or "http" would
// match a chroma lexer by name yet rarely label code in that language.
var tagLanguages = map[string]string{
	"python": "python", "django": "python", "flask": "python", "pandas": "python",
	"numpy": "python", "fastapi": "python", "pytest": "python", "matplotlib": "python",
	"javascript": "javascript", "node.js": "javascript", "jquery": "javascript",
	"express": "javascript", "vue.js": "javascript", "ecmascript-6": "javascript",
	"typescript": "typescript", "angular": "typescript", "reactjs": "react", "react-native": "react",
	"java": "java", "spring": "java", "spring-boot": "java", "maven": "xml", "hibernate": "java",
	"kotlin": "kotlin", "scala": "scala", "groovy": "groovy", "gradle": "groovy",
	"c#": "csharp", ".net": "csharp", ".net-core": "csharp", "asp.net": "csharp",
	"asp.net-core": "csharp", "asp.net-mvc": "csharp", "entity-framework": "csharp",
	"linq": "csharp", "wpf": "csharp", "unity3d": "csharp", "blazor": "csharp",
	"vb.net": "vb.net", "vba": "vb.net", "excel-vba": "vb.net", "f#": "fsharp",
	"c": "c", "c++": "cpp", "qt": "cpp", "go": "go", "golang": "go", "rust": "rust",
	"ruby": "ruby", "ruby-on-rails": "ruby", "php": "php", "laravel": "php",
	"wordpress": "php", "symfony": "php", "swift": "swift", "swiftui": "swift",
	"objective-c": "objective-c", "dart": "dart", "flutter": "dart",
	"bash": "bash", "shell": "bash", "sh": "bash", "zsh": "bash", "powershell": "powershell",
	"batch-file": "batch", "cmd": "batch",
	"sql": "sql", "mysql": "mysql", "postgresql": "postgresql", "sqlite": "sql",
	"sql-server": "tsql", "t-sql": "tsql", "tsql": "tsql", "oracle": "sql", "plsql": "sql",
	"r": "r", "julia": "julia", "matlab": "matlab", "haskell": "haskell", "perl": "perl",
	"lua": "lua", "elixir": "elixir", "erlang": "erlang", "clojure": "clojure",
	"ocaml": "ocaml", "fortran": "fortran", "cobol": "cobol", "lisp": "common-lisp",
	"racket": "racket", "scheme": "scheme", "prolog": "prolog", "zig": "zig", "nim": "nim",
	"html": "html", "css": "css", "sass": "scss", "scss": "scss", "less": "css",
	"xml": "xml", "json": "json", "yaml": "yaml", "toml": "toml", "ini": "ini",
	"graphql": "graphql", "protocol-buffers": "protobuf", "terraform": "terraform",
	"dockerfile": "docker", "nginx": "nginx", "makefile": "makefile", "cmake": "cmake",
	"latex": "latex", "markdown": "markdown", "jenkins-pipeline": "groovy",
	"ansible": "yaml", "kubernetes": "yaml", "docker-compose": "yaml", "github-actions": "yaml",
	"solidity": "solidity", "assembly": "nasm", "x86": "nasm", "arduino": "arduino",
}

// plainNames are fence, hint or tag languages that mean "do not highlight".
var plainNames = map[string]bool{
	"none": true, "text": true, "plain": true, "plaintext": true, "txt": true,
	"nohighlight": true, "no-highlight": true, "output": true,
}

// versionSuffix matches the version part of tags like python-3.x or java-8.
var versionSuffix = regexp.MustCompile(`-[0-9][0-9.x]*$`)

// normalizeLanguage lowercases a fence, hint or tag language and removes the
// lang-/language- prefixes Stack Overflow and highlight.js use.
func normalizeLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "lang-")
	s = strings.TrimPrefix(s, "language-")
	return s
}

// lexerSet resolves language names to chroma lexers, memoising the answer
// because chroma's lookup falls back to matching file-name globs of every
// lexer, which takes milliseconds for an unknown name. It is safe for
// concurrent use.
type lexerSet struct {
	mu   sync.RWMutex
	memo map[string]chroma.Lexer // nil value: no lexer
}

// maxMemo bounds the memo: names come from user content.
const maxMemo = 4096

func newLexerSet() *lexerSet {
	return &lexerSet{memo: make(map[string]chroma.Lexer)}
}

// explicit resolves a language named by a fence or hint. It reports plain
// for the names that ask for no highlighting (none, text, …); otherwise a
// nil lexer means the name is unknown.
func (s *lexerSet) explicit(name string) (l chroma.Lexer, plain bool) {
	if alias, ok := languageAliases[name]; ok && plainNames[alias] {
		return nil, true
	}
	if plainNames[name] {
		return nil, true
	}
	return s.lookup(name), false
}

// lookup returns the lexer for a normalized language name, or nil.
func (s *lexerSet) lookup(name string) chroma.Lexer {
	if name == "" {
		return nil
	}
	s.mu.RLock()
	l, ok := s.memo[name]
	s.mu.RUnlock()
	if ok {
		return l
	}
	l = findLexer(name)
	s.mu.Lock()
	if len(s.memo) < maxMemo {
		s.memo[name] = l
	}
	s.mu.Unlock()
	return l
}

func findLexer(name string) chroma.Lexer {
	if alias, ok := languageAliases[name]; ok {
		name = alias
	}
	if plainNames[name] || !validLanguageName(name) {
		return nil
	}
	l := lexers.Get(name)
	if l == nil || l.Config().Name == "plaintext" {
		return nil
	}
	return l
}

// validLanguageName reports whether s looks like a language name rather
// than arbitrary fence text, so junk never reaches chroma's glob matching.
func validLanguageName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case strings.ContainsRune("+#.-_", r):
		default:
			return false
		}
	}
	return true
}

// implicit picks the language of a block that names none. Chroma's
// analysers alone guess badly on short snippets (Go as GDScript, JSON as
// Java), so a guess needs evidence: a block that is a JSON document is
// JSON, a shebang names its interpreter, and otherwise the post's tags
// decide (see tagLexer); with no language among the tags it is plain.
func (s *lexerSet) implicit(tags []string, code string) chroma.Lexer {
	if isJSONDocument(code) {
		return s.lookup("json")
	}
	if l := s.shebangLexer(code); l != nil {
		return l
	}
	return s.tagLexer(tags, code)
}

// isJSONDocument reports whether code is one JSON object or array.
func isJSONDocument(code string) bool {
	t := strings.TrimSpace(code)
	return len(t) >= 2 && (t[0] == '{' || t[0] == '[') && len(t) <= 1<<20 && json.Valid([]byte(t))
}

// shebangLexer returns the lexer of the interpreter a "#!" first line
// names (#!/bin/bash, #!/usr/bin/env python3), or nil.
func (s *lexerSet) shebangLexer(code string) chroma.Lexer {
	line, _, _ := strings.Cut(code, "\n")
	rest, ok := strings.CutPrefix(line, "#!")
	if !ok {
		return nil
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return nil
	}
	prog := path.Base(f[0])
	if prog == "env" && len(f) > 1 {
		prog = path.Base(f[1])
	}
	prog = strings.TrimRight(prog, "0123456789.")
	return s.lookup(normalizeLanguage(prog))
}

// fenceLabel is the label of a block whose fence names an unknown
// language: the name as written, bounded.
func fenceLabel(lang string) string {
	lang = strings.TrimSpace(lang)
	if r := []rune(lang); len(r) > 40 {
		lang = string(r[:40])
	}
	return lang
}

// tagLexer picks a language from a post's tags: the first tag that names a
// language, unless several do, in which case chroma's analysers of those
// languages vote on the code (ties keep tag order).
func (s *lexerSet) tagLexer(tags []string, code string) chroma.Lexer {
	var candidates []chroma.Lexer
	for _, tag := range tags {
		l := s.lookupTag(normalizeLanguage(tag))
		if l != nil && !containsLexer(candidates, l) {
			candidates = append(candidates, l)
		}
	}
	switch len(candidates) {
	case 0:
		return nil
	case 1:
		return candidates[0]
	}
	best, bestScore := candidates[0], float32(0)
	sample := analysisSample(code)
	for _, l := range candidates {
		a, ok := l.(chroma.Analyser)
		if !ok {
			continue
		}
		if score := a.AnalyseText(sample); score > bestScore {
			best, bestScore = l, score
		}
	}
	return best
}

func (s *lexerSet) lookupTag(tag string) chroma.Lexer {
	name, ok := tagLanguages[tag]
	if !ok {
		name, ok = tagLanguages[versionSuffix.ReplaceAllString(tag, "")]
	}
	if !ok {
		return nil
	}
	return s.lookup(name)
}

func containsLexer(ls []chroma.Lexer, l chroma.Lexer) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// analysisSample bounds the text given to chroma's analysers, which scan
// it with regular expressions.
func analysisSample(code string) string {
	const max = 4096
	if len(code) <= max {
		return code
	}
	return code[:max]
}

// langClass returns the short identifier used in class="language-…" and
// data-lang for a lexer name: the lexer's first alias when it is tidy,
// otherwise its lowercased name with unusual characters removed.
func langClass(l chroma.Lexer) string {
	cfg := l.Config()
	for _, a := range cfg.Aliases {
		if validLanguageName(a) && !strings.ContainsAny(a, "#+") {
			return a
		}
	}
	var b strings.Builder
	for _, r := range strings.ToLower(cfg.Name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '+':
			b.WriteString("p")
		case r == '#':
			b.WriteString("sharp")
		}
	}
	if b.Len() == 0 {
		return "code"
	}
	return b.String()
}
