package steps

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/awssecure/awssecure/internal/inert"
)

// The aws CLI equivalents pass documents (a bucket policy, an export, a
// rule's pattern) as file://NAME.json. A command that names a file whose
// contents are never shown cannot be run, nor checked: fileCLI writes the
// file first, in the same block, with a here-document.
//
// The values the user chose or AWS gave (an account, a bucket, a region,
// an address) are shell variables set earlier in the block with
// inert.ShellWord, and the document names them ($B): a here-document
// whose end word is not quoted expands them as they are, never as shell
// text, and the document's lines stay short enough for a teaching panel.
// Everything else a shell would act on in such a here-document ($, ` and
// \) is escaped, so the file holds the document exactly.

// shellVar is how a builder of a document names a shell variable: the
// builders take strings, and shellVar("B") stands where the bucket's name
// would; fileCLI turns it into ${B}.
func shellVar(name string) string { return "@@" + name + "@@" }

var shellVarToken = regexp.MustCompile(`@@([A-Z][A-Z0-9]*)@@`)

// fileCLI is the shell that writes doc (JSON) to name, indented, in a
// here-document. A string too long for a line (an SQL query, an
// e-mail's template) is built in a variable over several lines first.
func fileCLI(name, doc string) string {
	var indented bytes.Buffer
	if err := json.Indent(&indented, []byte(doc), "", "  "); err != nil {
		panic("fileCLI: not JSON: " + err.Error()) // the documents are built by this package
	}
	var before, body []string
	built := 0 // variables S1, S2, … holding long strings
	for _, line := range strings.Split(indented.String(), "\n") {
		if long, ok := longString(line); ok {
			built++
			variable := "S" + strconv.Itoa(built)
			before = append(before, buildVariable(variable, long.value)...)
			line = long.head + shellVar(variable) + long.tail
		}
		body = append(body, hereLine(line))
	}
	return strings.Join(append(before, "cat > "+name+" <<EOF", strings.Join(body, "\n"), "EOF"), "\n")
}

// textFileCLI is the shell that writes text to name as it is: a quoted
// here-document, in which a shell expands nothing. The text holds no line
// that is EOF alone (it is built by this package).
func textFileCLI(name, text string) string {
	return "cat > " + name + " <<'EOF'\n" + strings.TrimRight(text, "\n") + "\nEOF"
}

// hereLine is line for an unquoted here-document: $, ` and \ escaped,
// then the variables' tokens made expansions.
func hereLine(line string) string {
	line = strings.NewReplacer(`\`, `\\`, "$", `\$`, "`", "\\`").Replace(line)
	return shellVarToken.ReplaceAllString(line, "$${$1}")
}

// maxDocLine is the longest line of a document that stays on its line:
// a teaching panel at 80 columns has 76.
const maxDocLine = 72

type stringLine struct{ head, value, tail string }

// jsonStringLine is a line of indented JSON whose value is one string:
// `  "Key": "…",`.
var jsonStringLine = regexp.MustCompile(`^(\s*(?:"[^"\\]*": )?)"((?:[^"\\]|\\.)*)"(,?)$`)

// longString finds a line too long whose value is one string, with no
// variable in it.
func longString(line string) (stringLine, bool) {
	if len(line) <= maxDocLine || strings.Contains(line, "@@") {
		return stringLine{}, false
	}
	m := jsonStringLine.FindStringSubmatch(line)
	if m == nil {
		return stringLine{}, false
	}
	return stringLine{head: m[1] + `"`, value: m[2], tail: `"` + m[3]}, true
}

// buildVariable sets name to value (JSON's escaped form, kept as it is)
// over lines of at most maxDocLine, cut after spaces.
func buildVariable(name, value string) []string {
	room := maxDocLine - 2*len(name) - 9 // name="$name"'…', and a quote escaped
	var lines []string
	for value != "" {
		chunk := value
		if len(chunk) > room {
			cut := strings.LastIndex(chunk[:room], " ")
			if cut <= 0 {
				cut = room - 1
			}
			chunk = chunk[:cut+1]
		}
		value = value[len(chunk):]
		if lines == nil {
			lines = append(lines, name+"="+inert.ShellWord(chunk))
		} else {
			lines = append(lines, name+`="$`+name+`"`+inert.ShellWord(chunk))
		}
	}
	return lines
}

// assignments sets shell variables, name then value in pairs, each value
// one shell word, as many to a line as fit a teaching panel.
func assignments(pairs ...string) string {
	var lines []string
	line := ""
	for i := 0; i+1 < len(pairs); i += 2 {
		a := pairs[i] + "=" + inert.ShellWord(pairs[i+1])
		switch {
		case line == "":
			line = a
		case len(line)+1+len(a) <= maxDocLine:
			line += " " + a
		default:
			lines, line = append(lines, line), a
		}
	}
	return strings.Join(append(lines, line), "\n")
}
