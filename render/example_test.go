package render_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// Build a site from a snapshot, then build it again: the second build finds
// every page up to date and writes nothing.
func Example() {
	dir, err := os.MkdirTemp("", "stackshelf-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := snapshot.OpenStore("testdata/basic/content")
	if err != nil {
		log.Fatal(err)
	}
	r, err := render.New(render.Options{
		Out:      filepath.Join(dir, "public"),
		CacheDir: filepath.Join(dir, "cache"),
		Theme:    themes.FS,
		Title:    "Acme knowledge base",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for range 2 {
		res, err := r.Build(context.Background(), store)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d files: %d written, %d unchanged, %d posts rendered\n", res.Files, res.Written, res.Unchanged, res.Rendered)
	}
	// Output:
	// 52 files: 52 written, 0 unchanged, 5 posts rendered
	// 52 files: 0 written, 52 unchanged, 0 posts rendered
}

func ExampleTagDir() {
	for _, tag := range []string{"go", "c#", "c++", ".net", "node.js", "../x", "a/b", "con"} {
		fmt.Printf("%s → tags/%s/\n", tag, render.TagDir(tag))
	}
	// Output:
	// go → tags/go/
	// c# → tags/c_s/
	// c++ → tags/c_p_p/
	// .net → tags/_dnet/
	// node.js → tags/node_djs/
	// ../x → tags/_d_d_x2fx/
	// a/b → tags/a_x2fb/
	// con → tags/con_r/
}
