package fetchtest_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
)

func ExampleNewServer() {
	clock := fetchtest.NewFakeClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := fetchtest.NewServer(fetchtest.Options{
		Gen:   teamgen.Options{Seed: 1, Questions: 250},
		Clock: clock,
	})
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL()+"/questions?team=demo&pagesize=100&filter=total", nil)
	req.Header.Set("X-API-Access-Token", "test-token")
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		panic(err)
	}
	var page struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(zr).Decode(&page); err != nil {
		panic(err)
	}
	fmt.Println("questions:", page.Total)

	// Mutations change what the API serves and what a fetch should store.
	if err := srv.DeleteQuestion(srv.Team().QuestionIDs()[0]); err != nil {
		panic(err)
	}
	fmt.Println("after a deletion:", len(srv.Expected().Questions))
	fmt.Println("requests:", srv.Stats().Requests)
	// Output:
	// questions: 250
	// after a deletion: 249
	// requests: 1
}
