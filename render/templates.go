package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"sync"
	"text/template/parse"
)

// Page types; each has layouts/<type>.html in the theme.
const (
	layoutHome      = "index"
	layoutQuestions = "questions"
	layoutQuestion  = "question"
	layoutTags      = "tags"
	layoutTag       = "tag"
	layoutUsers     = "users"
	layoutUser      = "user"
	layoutArticles  = "articles"
	layoutArticle   = "article"
	layoutRedirect  = "redirect"
	layout404       = "404"
	layoutSearch    = "search"
)

var layouts = []string{layoutHome, layoutQuestions, layoutQuestion, layoutTags, layoutTag, layoutUsers,
	layoutUser, layoutArticles, layoutArticle, layoutRedirect, layout404, layoutSearch}

// templates holds one parsed template set per page type: layouts/base.html,
// every partials/*.html, then layouts/<type>.html. Sets are executed through
// the "base" template.
type templates struct {
	sets map[string]*template.Template
	// sums hash, per page type, the theme files its pages are made with
	// (see usedFiles), so a changed partial renders again only the pages
	// that use it.
	sums map[string]sum
	bufs sync.Pool
}

func parseTemplates(theme fs.FS) (*templates, error) {
	partials, err := fs.Glob(theme, "partials/*.html")
	if err != nil {
		return nil, err
	}
	slices.Sort(partials)
	t := &templates{sets: map[string]*template.Template{}, sums: map[string]sum{},
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	srcs := map[string]string{}
	for _, name := range layouts {
		files := append([]string{"layouts/base.html"}, partials...)
		files = append(files, "layouts/"+name+".html")
		set := template.New(name).Funcs(funcs)
		for _, f := range files {
			src, ok := srcs[f]
			if !ok {
				data, err := fs.ReadFile(theme, f)
				if err != nil {
					return nil, fmt.Errorf("theme: %w", err)
				}
				src = string(data)
				srcs[f] = src
			}
			if _, err := set.New(path.Base(f)).Parse(src); err != nil {
				return nil, fmt.Errorf("theme: %w", err)
			}
		}
		if set.Lookup("base") == nil {
			return nil, fmt.Errorf("theme: layouts/base.html does not define \"base\"")
		}
		t.sets[name] = set
		h, used := newHash(), usedFiles(set)
		for _, f := range files {
			if used[path.Base(f)] {
				writeString(h, f)
				writeString(h, srcs[f])
			}
		}
		t.sums[name] = sumOf(h)
	}
	return t, nil
}

// usedFiles returns the names (as parsed: base names of theme files) of the
// files that define "base" and every template it calls, directly or not.
func usedFiles(set *template.Template) map[string]bool {
	files := map[string]bool{}
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		t := set.Lookup(name)
		if t == nil || t.Tree == nil {
			return
		}
		files[t.Tree.ParseName] = true
		walkTemplateCalls(t.Tree.Root, visit)
	}
	visit("base")
	return files
}

// walkTemplateCalls calls visit with the name of every template that n
// invokes.
func walkTemplateCalls(n parse.Node, visit func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplateCalls(c, visit)
		}
	case *parse.TemplateNode:
		visit(n.Name)
	case *parse.IfNode:
		walkTemplateCalls(n.List, visit)
		walkTemplateCalls(n.ElseList, visit)
	case *parse.RangeNode:
		walkTemplateCalls(n.List, visit)
		walkTemplateCalls(n.ElseList, visit)
	case *parse.WithNode:
		walkTemplateCalls(n.List, visit)
		walkTemplateCalls(n.ElseList, visit)
	}
}

// execute renders page type name with data and returns a fresh copy of the
// bytes.
func (t *templates) execute(name string, data any) ([]byte, error) {
	buf := t.bufs.Get().(*bytes.Buffer)
	defer t.bufs.Put(buf)
	buf.Reset()
	if err := t.sets[name].ExecuteTemplate(buf, "base", data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return bytes.Clone(buf.Bytes()), nil
}

// funcs are the template functions: pure, small and tested.
var funcs = template.FuncMap{
	"plural": plural,
	"avatar": avatar,
}

// plural returns "1 answer", "2 answers": n with the singular or plural
// noun.
func plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}
