package teamgen

import (
	"fmt"
	"strconv"

	"github.com/stackshelf/stackshelf/snapshot"
)

// User types as the API spells them.
const (
	userRegistered = "registered"
	userModerator  = "moderator"
	userAdmin      = "team_admin"
	userDeleted    = "does_not_exist"
)

// userStep is the time between two users joining: the first joins a month
// before the first post, the last four years later.
func (t *Team) userStep() int64 { return max(int64(span)*4/5/int64(max(t.opts.Users, 1)), 1) }

func (t *Team) userJoined(i int) int64 { return epochStart - 30*86400 + int64(i)*t.userStep() }

// pickUser returns the index of a user who had joined by date: early users
// are the most active, as in real teams.
func (t *Team) pickUser(r rng, date int64) int {
	avail := int((date-(epochStart-30*86400))/t.userStep()) + 1
	avail = min(max(avail, 1), t.opts.Users)
	return r.zipf(avail)
}

func (t *Team) genUsers() []snapshot.User {
	users := make([]snapshot.User, t.opts.Users)
	for i := range users {
		id := int64(firstUserID + i)
		r := newRNG(t.opts.Seed, id, streamUser)
		u := snapshot.User{UserID: id, CreationDate: t.userJoined(i)}
		if i > 2 && r.chance(0.06) {
			u.UserType = userDeleted
			u.DisplayName = "user" + strconv.FormatInt(id, 10)
			users[i] = u
			continue
		}
		u.DisplayName = displayName(r, i)
		u.UserType = userRegistered
		switch {
		case i < 2:
			u.UserType = userAdmin
		case r.chance(0.03):
			u.UserType = userModerator
		}
		u.ProfileImage = fmt.Sprintf("https://www.gravatar.com/avatar/%016x%016x?s=256&d=identicon&r=PG", mix(uint64(id)), mix(uint64(id)+1))
		u.Link = t.opts.SiteURL + "/users/" + strconv.FormatInt(id, 10) + "/" + slugify(u.DisplayName, "user")
		u.Location = pick(r, locations)
		u.AboutMe = aboutMe(r)
		u.Reputation = 1 + r.zipf(50)
		users[i] = u
	}
	return users
}

func displayName(r rng, i int) string {
	switch x := r.IntN(20); {
	case x == 0:
		return pick(r, []string{"王小明", "김민준", "佐藤 花子", "Ахмед", "محمد علي", "שרה לוי"})
	case x < 3:
		return pick(r, firstNames) + strconv.Itoa(r.between(1, 999))
	case x == 3:
		return pick(r, firstNames) + "'s Mug"
	}
	return pick(r, firstNames) + " " + pick(r, lastNames)
}

func aboutMe(r rng) string {
	if r.chance(0.4) {
		return ""
	}
	return fmt.Sprintf("%s engineer on the %s team. Ask me about %s & %s.", pick(r, []string{"Backend", "Frontend", "Staff", "Data", "Site reliability", "Mobile"}),
		pick(r, teamsNames), pick(r, tagVocab[:40]).name, pick(r, services))
}

// finishUsers sets reputations from what users posted.
func (t *Team) finishUsers() {
	for i := range t.users {
		u := &t.users[i]
		if u.UserType == userDeleted {
			continue
		}
		u.Reputation += 5*u.QuestionCount + 10*u.AnswerCount
	}
}

// shallow returns the owner reference for user index i as posts carry it.
func (t *Team) shallow(i int) snapshot.ShallowUser {
	if i < 0 || i >= len(t.users) {
		return snapshot.ShallowUser{}
	}
	return shallowOf(t.users[i])
}

func shallowOf(u snapshot.User) snapshot.ShallowUser {
	if u.UserType == userDeleted {
		return snapshot.ShallowUser{DisplayName: u.DisplayName, UserType: userDeleted}
	}
	return snapshot.ShallowUser{UserID: u.UserID, DisplayName: u.DisplayName, UserType: u.UserType,
		Reputation: u.Reputation, ProfileImage: u.ProfileImage, Link: u.Link}
}

// Users returns every user, sorted by id, deleted ones included: they have
// UserType "does_not_exist", DisplayName "user<id>" and nothing else, and
// the API does not list them. The hostile user is included when asked for.
func (t *Team) Users() []snapshot.User {
	us := make([]snapshot.User, len(t.users))
	copy(us, t.users)
	if t.opts.Hostile {
		us = append([]snapshot.User{t.hostileUser()}, us...)
	}
	return us
}

// User returns one user by id, deleted users included.
func (t *Team) User(id int64) (snapshot.User, bool) {
	if t.opts.Hostile && id == HostileUserID {
		return t.hostileUser(), true
	}
	i := int(id - firstUserID)
	if i < 0 || i >= len(t.users) {
		return snapshot.User{}, false
	}
	return t.users[i], true
}
