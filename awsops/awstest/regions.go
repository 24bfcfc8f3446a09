package awstest

import (
	"encoding/xml"
	"net/http"
	"sync"
)

// A test's account has one list of regions, the Account API double's.
// moto's EC2 answers DescribeRegions with every region it knows, in every
// partition (38, cn-north-1 and us-gov-west-1 among them), as enabled,
// whatever the Account API says; AWS answers with the regions the account
// can use now. Moto's front (Moto.URL) answers DescribeRegions from the
// double of the test under way, as AWS does, and passes every other call
// to moto unchanged. It also spares moto the second or more it takes to
// build a region's backends at the first call there, for regions a real
// account would not call.

// accountAPIs are the live doubles by URL, so that Use, given a double's
// address, finds its regions.
var accountAPIs sync.Map // URL → *AccountAPI

// serveFront answers a plain ec2:DescribeRegions from the double of the
// test under way, if any, adds to moto's answers what front.go says, and
// passes every other call to moto.
func (m *Moto) serveFront(w http.ResponseWriter, r *http.Request) {
	if m.serveAdded(w, r) {
		return
	}
	if api := m.regions.Load(); api != nil {
		if _, service := scopeOf(r); service == "ec2" {
			if action, err := actionOf(r); err == nil && action == "DescribeRegions" && api.describeRegions(w, r) {
				return
			}
		}
	}
	m.forward.ServeHTTP(w, r)
}

// describeRegions answers a plain ec2:DescribeRegions (no filter, no
// region names) in EC2's wire format: the regions enabled by default and
// those opted into and fully enabled; with AllRegions=true, the others
// too. It reports false for a request it leaves to moto.
func (a *AccountAPI) describeRegions(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		return false
	}
	all := false
	for key, values := range r.PostForm {
		switch key {
		case "Action", "Version":
		case "AllRegions":
			all = len(values) == 1 && values[0] == "true"
		default:
			return false
		}
	}
	type item struct {
		RegionName     string `xml:"regionName"`
		RegionEndpoint string `xml:"regionEndpoint"`
		OptInStatus    string `xml:"optInStatus"`
	}
	out := struct {
		XMLName   xml.Name `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ DescribeRegionsResponse"`
		RequestID string   `xml:"requestId"`
		Items     []item   `xml:"regionInfo>item"`
	}{RequestID: "ec2-front"}
	a.mu.Lock()
	for _, reg := range a.regions {
		status := map[string]string{"ENABLED_BY_DEFAULT": "opt-in-not-required", "ENABLED": "opted-in"}[reg.Status]
		if status == "" && !all {
			continue
		}
		if status == "" {
			status = "not-opted-in"
		}
		out.Items = append(out.Items, item{reg.Name, "ec2." + reg.Name + ".amazonaws.com", status})
	}
	a.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(out)
	return true
}

// DefaultRegions are the seventeen regions AWS enables for every account.
var DefaultRegions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

// OptInRegions are the regions an account must opt into (as of 2025).
var OptInRegions = []string{
	"af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
	"ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
}

// LikeANewAccount gives the double the regions of an account opened
// today, DefaultRegions on and OptInRegions off, instead of its few: what
// benchmarks measure.
func (a *AccountAPI) LikeANewAccount() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.regions = nil
	for _, name := range DefaultRegions {
		a.regions = append(a.regions, regionState{Name: name, Status: "ENABLED_BY_DEFAULT"})
	}
	for _, name := range OptInRegions {
		a.regions = append(a.regions, regionState{Name: name, Status: "DISABLED"})
	}
}
