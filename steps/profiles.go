package steps

import (
	"os"
	"slices"
	"strings"
)

// ProfileNames lists the profiles named in the AWS CLI's shared files, as
// the SDKs read them: [name] in the credentials file, [profile name] (and
// [default]) in the config file. Unreadable files add nothing.
func ProfileNames(files []string) []string {
	var names []string
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			name, ok := sectionName(line)
			if !ok {
				continue
			}
			if rest, found := strings.CutPrefix(name, "profile "); found {
				name = strings.TrimSpace(rest)
			}
			if name != "" && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// sectionName reads a section header line: "[ name ] ; comment" is name.
func sectionName(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "[") {
		return "", false
	}
	end := strings.Index(t, "]")
	if end < 0 {
		return "", false
	}
	return strings.TrimSpace(t[1:end]), true
}
