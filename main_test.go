package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestHelpAndVersion(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--help"}, 0, "", "awssecure status [--json]"},
		{[]string{"--version"}, 0, "awssecure ", ""},
		{[]string{"--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"status", "extra"}, 2, "", `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.err) {
			t.Errorf("%v: code %d, stdout %q, stderr %q", tc.args, code, stdout.String(), stderr.String())
		}
	}
}

func TestParseArgs(t *testing.T) {
	opts, err := parseArgs([]string{"status", "--json", "--profile", "work", "--region", "eu-west-1"}, &bytes.Buffer{})
	want := cliOptions{command: "status", json: true, profile: "work", region: "eu-west-1"}
	if err != nil || opts != want {
		t.Errorf("opts = %+v, %v; want %+v", opts, err, want)
	}
}
