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
	bufs sync.Pool
}

func parseTemplates(theme fs.FS) (*templates, error) {
	partials, err := fs.Glob(theme, "partials/*.html")
	if err != nil {
		return nil, err
	}
	slices.Sort(partials)
	t := &templates{sets: map[string]*template.Template{}, bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	for _, name := range layouts {
		files := append([]string{"layouts/base.html"}, partials...)
		files = append(files, "layouts/"+name+".html")
		set := template.New(name).Funcs(funcs)
		for _, f := range files {
			src, err := fs.ReadFile(theme, f)
			if err != nil {
				return nil, fmt.Errorf("theme: %w", err)
			}
			if _, err := set.New(path.Base(f)).Parse(string(src)); err != nil {
				return nil, fmt.Errorf("theme: %w", err)
			}
		}
		if set.Lookup("base") == nil {
			return nil, fmt.Errorf("theme: layouts/base.html does not define \"base\"")
		}
		t.sets[name] = set
	}
	return t, nil
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
