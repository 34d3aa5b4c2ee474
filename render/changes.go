package render

import "cmp"

// postChanges compares the posts of this build with the previous build's,
// by id and file hash. It works the same on every build path and costs a
// walk over both sorted lists.
func (b *build) postChanges() PostChanges {
	prev := b.in.prev
	var c PostChanges
	c.Full = len(prev.Questions) == 0 && len(prev.Articles) == 0
	c.Questions, c.DeletedQuestions = diffPosts(prev.Questions, b.site.questions,
		func(m *questionMeta) (int64, sum) { return m.ID, m.Sum })
	c.Articles, c.DeletedArticles = diffPosts(prev.Articles, b.site.articles,
		func(m *articleMeta) (int64, sum) { return m.ID, m.Sum })
	return c
}

// diffPosts returns the ids of posts in next that are new or changed since
// prev, and of those in prev that next lacks; both lists are sorted by id.
func diffPosts[M any](prev, next []M, key func(*M) (int64, sum)) (changed, deleted []int64) {
	i, j := 0, 0
	for i < len(prev) || j < len(next) {
		var pid, nid int64
		var psum, nsum sum
		if i < len(prev) {
			pid, psum = key(&prev[i])
		}
		if j < len(next) {
			nid, nsum = key(&next[j])
		}
		switch {
		case j == len(next) || (i < len(prev) && cmp.Less(pid, nid)):
			deleted = append(deleted, pid)
			i++
		case i == len(prev) || cmp.Less(nid, pid):
			changed = append(changed, nid)
			j++
		default:
			if psum != nsum {
				changed = append(changed, nid)
			}
			i++
			j++
		}
	}
	return changed, deleted
}
