// Command awssecure walks a new AWS account's owner through securing it,
// doing each step through the AWS API while explaining what it does.
// main only parses the command line and wires the parts together.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

const usage = `awssecure secures a new AWS account, step by step, through the AWS API.

Usage:
  awssecure [flags]                 run the wizard on the account of your AWS credentials
  awssecure --practice [flags]      run the wizard on a built-in practice account (no AWS needed)
  awssecure status [--json] [flags] print a read-only security checklist of the account

Flags:
`

// cliOptions is everything the command line can say.
type cliOptions struct {
	command  string // "" for the wizard, or "status"
	profile  string
	region   string
	practice bool
	json     bool
	version  bool
}

func parseArgs(args []string, stderr io.Writer) (cliOptions, error) {
	var opts cliOptions
	if len(args) > 0 && args[0] == "status" {
		opts.command, args = "status", args[1:]
	}
	fs := flag.NewFlagSet("awssecure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.profile, "profile", "", "use this profile from your AWS config (default: $AWS_PROFILE or default)")
	fs.StringVar(&opts.region, "region", "", "AWS region for regional calls (default: $AWS_REGION, the profile's, or us-east-1)")
	fs.BoolVar(&opts.practice, "practice", false, "use the built-in practice account instead of AWS")
	fs.BoolVar(&opts.json, "json", false, "status: print JSON")
	fs.BoolVar(&opts.version, "version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return opts, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return opts, nil
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "dev"
}

func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "awssecure:", err)
		return 2
	}
	if opts.version {
		fmt.Fprintln(stdout, "awssecure", versionString())
		return 0
	}
	fmt.Fprintln(stderr, "awssecure: the wizard and status are not built yet")
	return 2
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
