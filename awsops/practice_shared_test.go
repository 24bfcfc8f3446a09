package awsops_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// Two runs on one practice file are two consoles on one AWS account: each
// sees what the other made, and nothing either made is lost. (Before, each
// run kept the account it loaded at start, and the last save won.)

// userNames lists the names of an account's users.
func userNames(t *testing.T, p *awsops.Practice) []string {
	t.Helper()
	var names []string
	for _, u := range must[[]awsops.User](t)(p.Users(t.Context())) {
		names = append(names, u.Name)
	}
	return names
}

func TestPracticeTwoRunsOnOneFileInOneProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	runs := []*awsops.Practice{newPractice(t, awsops.PracticeOptions{Path: path}), newPractice(t, awsops.PracticeOptions{Path: path})}
	const perRun = 12
	var want []string
	var wg sync.WaitGroup
	errs := make(chan error, len(runs)*perRun)
	for r, p := range runs {
		for i := range perRun {
			name := fmt.Sprintf("run%d-user%02d", r, i)
			want = append(want, name)
			wg.Go(func() {
				if _, err := p.CreateUser(t.Context(), name); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	slices.Sort(want)
	fresh := newPractice(t, awsops.PracticeOptions{Path: path})
	for view, p := range map[string]*awsops.Practice{"first run": runs[0], "second run": runs[1], "a fresh load": fresh} {
		if got := userNames(t, p); !slices.Equal(got, want) {
			t.Errorf("%s sees %d of %d users; missing %v", view, len(got), len(want), missing(want, got))
		}
	}
}

func missing(want, got []string) []string {
	var gone []string
	for _, name := range want {
		if !slices.Contains(got, name) {
			gone = append(gone, name)
		}
	}
	return gone
}

// The console simulation is a call like the others: the other run sees it.
func TestPracticeSimulatedRootMFASeenByTheOtherRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	first := newPractice(t, awsops.PracticeOptions{Path: path})
	second := newPractice(t, awsops.PracticeOptions{Path: path})
	mustDo(t, first.SimulateRootMFAInConsole(0))
	must[awsops.User](t)(second.CreateUser(t.Context(), "alice"))
	if !must[awsops.AccountSummary](t)(second.AccountSummary(t.Context())).RootMFAEnabled {
		t.Error("the second run does not see root MFA the first turned on")
	}
	if !must[awsops.AccountSummary](t)(first.AccountSummary(t.Context())).RootMFAEnabled {
		t.Error("the second run's save undid the first run's root MFA")
	}
}

// A file damaged while a run has it open is refused at the next call with
// the sentence the run would have given at start, and is not overwritten.
func TestPracticeFileDamagedDuringARun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	p := newPractice(t, awsops.PracticeOptions{Path: path})
	must[awsops.User](t)(p.CreateUser(t.Context(), "alice"))
	damaged := []byte(`{"Users":{"bob":{"Keys":"` + fakeKey + `"}}}`)
	if err := os.WriteFile(path, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	_, atOpen := awsops.NewPractice(awsops.PracticeOptions{Path: path})
	_, err := p.CreateUser(t.Context(), "carol")
	if !errors.Is(err, awsops.ErrPracticeDamaged) || atOpen == nil || err.Error() != atOpen.Error() {
		t.Errorf("err = %v\nwant the sentence given at open: %v", err, atOpen)
	}
	if err != nil && strings.Contains(err.Error(), fakeKey) {
		t.Error("the error quotes the file's key")
	}
	if data, _ := os.ReadFile(path); string(data) != string(damaged) {
		t.Error("the damaged file was overwritten")
	}
}

// practiceHelperEnv makes the test binary a helper process (see TestMain):
// "PATH NAME START" opens the practice account at PATH, waits for the file
// START, creates the user NAME and exits.
const practiceHelperEnv = "AWSSECURE_TEST_PRACTICE_HELPER"

func practiceHelper(arg string) int {
	path, rest, _ := strings.Cut(arg, " ")
	name, start, _ := strings.Cut(rest, " ")
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: path})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Opened before the start, as a learner's runs are: without the lock
	// and the reload, each would save the account it loaded here.
	if err := os.WriteFile(start+"."+name, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for {
		if _, err := os.Stat(start); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := p.CreateUser(ctx, name); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func TestPracticeRunsInManyProcessesAtOnce(t *testing.T) {
	dir := t.TempDir()
	path, start := filepath.Join(dir, "practice.json"), filepath.Join(dir, "go")
	names := []string{"ana", "ben", "cai", "dev", "eli", "fay", "gus", "hal"}
	cmds := make([]*exec.Cmd, len(names))
	for i, name := range names {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^$")
		cmds[i].Env = append(os.Environ(), practiceHelperEnv+"="+strings.Join([]string{path, name, start}, " "))
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Minute) // room for a busy machine: started test binaries
	for _, name := range names {
		for {
			if _, err := os.Stat(start + "." + name); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the helpers did not start")
			}
			time.Sleep(time.Millisecond)
		}
	}
	if err := os.WriteFile(start, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %s: %v", names[i], err)
		}
	}
	got := userNames(t, newPractice(t, awsops.PracticeOptions{Path: path}))
	if want := slices.Sorted(slices.Values(names)); !slices.Equal(got, want) {
		t.Errorf("the file holds %v; lost %v", got, missing(want, got))
	}
}
