package teamgen

import (
	"slices"
	"strconv"
	"strings"
)

// nestDef is a block that opens and closes around nested lines; %n in both
// stands for the same generated name (an XML element, say).
type nestDef struct{ open, close string }

// langDef drives the code generator for one language. Templates use %i (an
// identifier), %N (a type name), %s (string literal text), %d (a number), %n
// (the enclosing block's name) and %% (a percent sign).
type langDef struct {
	fences []string // fence info strings people write; the first is canonical
	hint   string   // Stack Overflow language hint, as in <!-- language: lang-go -->
	snake  bool     // identifiers in snake_case
	header []string // lines a snippet may start with (imports and the like)
	units  []nestDef
	body   []string
	nests  []nestDef
	indent string
}

// lang returns the generator for a language name, falling back to a close
// relative for languages without their own pools.
func lang(name string) *langDef {
	if l, ok := langs[name]; ok {
		return l
	}
	switch name {
	case "c":
		return langs["cpp"]
	case "scala", "swift":
		return langs["kotlin"]
	case "ruby":
		return langs["python"]
	case "php", "html", "css":
		return langs["javascript"]
	case "protobuf", "cmake":
		return langs["go"]
	}
	return langs["bash"]
}

// langNames lists the languages with their own pools, for picking a random
// one.
var langNames = []string{"go", "python", "javascript", "typescript", "java", "csharp", "cpp", "sql", "bash", "yaml", "json", "rust", "dockerfile", "hcl", "powershell", "xml", "kotlin"}

// code writes a snippet of about n lines (n ≥ 1) of l to b, without a final
// newline. Blocks are always closed, so the snippet may run a few lines over.
func (l *langDef) code(r rng, n int, b *strings.Builder) {
	if l == langs["json"] {
		jsonCode(r, n, b)
		return
	}
	lines := make([]string, 0, n+4)
	if len(l.header) > 0 && n > 6 {
		for i, k := 0, r.between(1, min(3, len(l.header))); i < k; i++ {
			lines = append(lines, l.expand(r, l.header[r.IntN(len(l.header))], ""))
		}
		lines = append(lines, "")
	}
	for len(lines) < n {
		if len(lines) > 0 && lines[len(lines)-1] != "" {
			lines = append(lines, "")
		}
		lines = l.unit(r, lines, n)
	}
	// Templates may hold several lines; keep the snippet within bounds
	// even if that leaves a block open, as pasted snippets often do.
	if slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "\n") }) {
		lines = strings.Split(strings.Join(lines, "\n"), "\n")
	}
	lines = lines[:min(len(lines), maxCodeLines)]
	for len(lines) > 1 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
}

// maxCodeLines bounds generated snippets (the hostile set goes further).
const maxCodeLines = 40

// unit appends one top-level block (a function, a resource, a rule) with
// nested blocks, stopping near the line budget n.
func (l *langDef) unit(r rng, lines []string, n int) []string {
	u := l.units[r.IntN(len(l.units))]
	name := l.ident(r)
	lines = append(lines, l.expand(r, u.open, name))
	type open struct {
		close, name string
	}
	stack := []open{{u.close, name}}
	for len(stack) > 0 {
		depth := len(stack)
		pad := strings.Repeat(l.indent, depth)
		room := n - len(lines) - depth // lines left after closing every block
		switch {
		case room <= 0 || (depth > 1 && r.chance(0.25)) || (depth == 1 && room < 2 && r.chance(0.5)):
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.close != "" {
				lines = append(lines, strings.Repeat(l.indent, len(stack))+l.expand(r, top.close, top.name))
			}
		case len(l.nests) > 0 && depth < 4 && room > 3 && r.chance(0.18):
			nd := l.nests[r.IntN(len(l.nests))]
			nm := l.ident(r)
			lines = append(lines, pad+l.expand(r, nd.open, nm))
			stack = append(stack, open{nd.close, nm})
			lines = append(lines, pad+l.indent+l.expand(r, l.body[r.IntN(len(l.body))], nm))
		default:
			lines = append(lines, pad+l.expand(r, l.body[r.IntN(len(l.body))], stack[len(stack)-1].name))
		}
	}
	return lines
}

func (l *langDef) ident(r rng) string {
	if l.snake {
		return pick(r, snakeIdents)
	}
	return pick(r, camelIdents)
}

// expand substitutes the template placeholders of t.
func (l *langDef) expand(r rng, t, name string) string {
	if !strings.Contains(t, "%") {
		return t
	}
	var b strings.Builder
	b.Grow(len(t) + 16)
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '%' || i+1 == len(t) {
			b.WriteByte(c)
			continue
		}
		i++
		switch t[i] {
		case 'i':
			b.WriteString(l.ident(r))
		case 'N':
			b.WriteString(pick(r, typeNames))
		case 's':
			b.WriteString(pick(r, stringLits))
		case 'd':
			b.WriteString(strconv.Itoa(pick(r, numbers)))
		case 'n':
			b.WriteString(name)
		default:
			b.WriteByte(t[i])
		}
	}
	return b.String()
}

// jsonCode writes n lines of valid, indented JSON.
func jsonCode(r rng, n int, b *strings.Builder) {
	if n < 2 {
		b.WriteString(`{}`)
		return
	}
	b.WriteString("{")
	written := 1
	depth := 1
	first := true
	for {
		left := n - written - depth // lines still free after closing everything
		if left <= 0 || (depth > 1 && r.chance(0.2)) {
			depth--
			b.WriteString("\n" + strings.Repeat("  ", depth) + "}")
			written++
			first = false
			if depth == 0 {
				return
			}
			continue
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		pad := strings.Repeat("  ", depth)
		key := pick(r, camelIdents)
		switch {
		case left > 3 && depth < 4 && r.chance(0.2):
			b.WriteString("\n" + pad + `"` + key + `": {`)
			depth++
			first = true
		case r.chance(0.3):
			b.WriteString("\n" + pad + `"` + key + `": ` + strconv.Itoa(pick(r, numbers)))
		case r.chance(0.15):
			b.WriteString("\n" + pad + `"` + key + `": ` + pick(r, []string{"true", "false", "null"}))
		default:
			b.WriteString("\n" + pad + `"` + key + `": "` + pick(r, stringLits) + `"`)
		}
		written++
	}
}

var (
	snakeIdents = []string{"user_id", "order", "items", "cfg", "resp", "row", "retries", "payload", "cache", "batch_size", "tenant", "conn", "result", "records", "timeout", "client", "queue", "invoice", "account", "event"}
	camelIdents = []string{"userId", "order", "items", "cfg", "resp", "row", "retries", "payload", "cache", "batchSize", "tenant", "conn", "result", "records", "timeout", "client", "queue", "invoice", "account", "event"}
	typeNames   = []string{"OrderService", "Invoice", "Customer", "RetryPolicy", "Ledger", "Handler", "Config", "Session", "Money", "Shipment", "TenantID", "EventBus"}
	stringLits  = []string{"orders", "customer not found", "https://billing-api.internal/v2/invoices", "application/json", "prod-eu", "SELECT 1", "retrying", "DEADLINE_EXCEEDED", "utf-8", "X-Request-ID", "/var/lib/app/data", "%d items", "ledger.events.v1", "eu-west-1"}
	numbers     = []int{0, 1, 2, 3, 5, 8, 10, 30, 42, 100, 256, 1000, 1024, 5000, 8080, 65536}
)
