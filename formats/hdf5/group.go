package hdf5

import (
	"sort"
	"strings"
)

// Object is a group or a dataset.
type Object interface {
	Name() string
	Path() string
	Attrs() []Attribute
}

// Group is an HDF5 group (netCDF-4 group). A Group is immutable after Open
// and safe for concurrent use.
type Group struct {
	file     *File
	name     string
	path     string
	addr     uint64
	attrs    []Attribute
	groups   []*Group
	datasets []*Dataset
	links    []Link
}

// Link describes a soft or external link of a group, which the reader
// reports but does not follow.
type Link struct {
	Name     string
	External bool   // external link (Target is "file:path") rather than soft link
	Target   string // target path
}

// Name returns the group's link name ("/" for the root group).
func (g *Group) Name() string { return g.name }

// Path returns the group's absolute path ("/" for the root group).
func (g *Group) Path() string { return g.path }

// Attrs returns the user-facing attributes (netCDF-4 bookkeeping
// attributes such as _NCProperties are hidden; see AllAttrs).
func (g *Group) Attrs() []Attribute { return visibleAttrs(g.attrs) }

// AllAttrs returns every attribute stored on the group.
func (g *Group) AllAttrs() []Attribute { return append([]Attribute(nil), g.attrs...) }

// Attr returns the attribute with the given name (hidden ones included).
func (g *Group) Attr(name string) (Attribute, bool) { return findAttr(g.attrs, name) }

// Groups returns the child groups in name order.
func (g *Group) Groups() []*Group { return append([]*Group(nil), g.groups...) }

// Datasets returns the datasets directly in this group, in name order.
func (g *Group) Datasets() []*Dataset { return append([]*Dataset(nil), g.datasets...) }

// Links returns the soft and external links of the group.
func (g *Group) Links() []Link { return append([]Link(nil), g.links...) }

// Group returns the child group with the given name.
func (g *Group) Group(name string) (*Group, bool) {
	for _, c := range g.groups {
		if c.name == name {
			return c, true
		}
	}
	return nil, false
}

// Dataset returns the dataset with the given name directly in this group.
func (g *Group) Dataset(name string) (*Dataset, bool) {
	for _, d := range g.datasets {
		if d.name == name {
			return d, true
		}
	}
	return nil, false
}

// Lookup resolves a path such as "SLV/zFactorCorrected" relative to the
// group, or "/NS/SLV/zFactorCorrected" from the root, to a *Group or
// *Dataset.
func (g *Group) Lookup(path string) (Object, bool) {
	cur := g
	if strings.HasPrefix(path, "/") {
		cur = g.file.root
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 1 && parts[0] == "" {
		return cur, true
	}
	for i, p := range parts {
		if p == "" || p == "." {
			continue
		}
		last := i == len(parts)-1
		if c, ok := cur.Group(p); ok {
			cur = c
			continue
		}
		if last {
			if d, ok := cur.Dataset(p); ok {
				return d, true
			}
		}
		return nil, false
	}
	return cur, true
}

// WalkDatasets calls fn for every dataset in the group and its subgroups,
// depth first in name order, stopping at the first error.
func (g *Group) WalkDatasets(fn func(*Dataset) error) error {
	for _, d := range g.datasets {
		if err := fn(d); err != nil {
			return err
		}
	}
	for _, c := range g.groups {
		if err := c.WalkDatasets(fn); err != nil {
			return err
		}
	}
	return nil
}

// maxGroupDepth bounds group nesting.
const maxGroupDepth = 512

// maxObjects bounds the number of objects loaded from one file.
const maxObjects = 1 << 20

// loadGroup reads the group whose object header is oh and, recursively, its
// members. ancestors holds the header addresses of the groups on the path
// from the root, so hard-link cycles are detected and not followed.
func (f *File) loadGroup(oh *objectHeader, name, path string, ancestors map[uint64]bool) (*Group, error) {
	if len(ancestors) >= maxGroupDepth {
		return nil, f.objError("group "+path, corruptf("groups nested deeper than %d", maxGroupDepth))
	}
	g := &Group{file: f, name: name, path: path, addr: oh.addr}
	f.objects[oh.addr] = g
	var err error
	if g.attrs, err = f.objectAttributes(oh); err != nil {
		return nil, f.objError("group "+path, err)
	}
	links, err := f.groupLinks(oh)
	if err != nil {
		return nil, f.objError("group "+path, err)
	}
	sort.Slice(links, func(i, j int) bool { return links[i].name < links[j].name })
	ancestors[oh.addr] = true
	defer delete(ancestors, oh.addr)
	for _, l := range links {
		child := joinPath(path, l.name)
		switch l.kind {
		case linkSoft:
			g.links = append(g.links, Link{Name: l.name, Target: l.target})
			continue
		case linkExternal:
			g.links = append(g.links, Link{Name: l.name, External: true, Target: l.target})
			continue
		case linkHard:
		default:
			continue
		}
		if ancestors[l.addr] {
			f.cycles = append(f.cycles, child)
			continue
		}
		if obj, ok := f.objects[l.addr]; ok { // hard link to an object seen before
			switch o := obj.(type) {
			case *Group:
				g.groups = append(g.groups, o)
			case *Dataset:
				g.datasets = append(g.datasets, o)
			}
			continue
		}
		if len(f.objects) >= maxObjects {
			return nil, f.objError("group "+path, corruptf("too many objects"))
		}
		coh, err := f.readObjectHeader(l.addr)
		if err != nil {
			return nil, f.objError("object "+child, err)
		}
		switch objectKind(coh) {
		case kindDataset:
			ds, err := f.newDataset(coh, l.name, child)
			if err != nil {
				return nil, f.objError("variable "+child, err)
			}
			f.objects[l.addr] = ds
			g.datasets = append(g.datasets, ds)
		case kindGroup:
			cg, err := f.loadGroup(coh, l.name, child, ancestors)
			if err != nil {
				return nil, err
			}
			g.groups = append(g.groups, cg)
		default:
			f.objects[l.addr] = nil // committed datatype or unknown object
		}
	}
	return g, nil
}

type objKind int

const (
	kindOther objKind = iota
	kindGroup
	kindDataset
)

// objectKind classifies an object header as group, dataset or other.
func objectKind(oh *objectHeader) objKind {
	if oh.find(msgLayout) != nil {
		return kindDataset
	}
	for _, m := range oh.messages {
		switch m.typ {
		case msgSymbolTable, msgLinkInfo, msgLink, msgGroupInfo:
			return kindGroup
		case msgDatatype, msgDataspace:
			return kindOther
		}
	}
	return kindGroup // an empty object header: treat as an empty group
}

func joinPath(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// findAttr returns the attribute with the given name.
func findAttr(attrs []Attribute, name string) (Attribute, bool) {
	for _, a := range attrs {
		if a.Name == name {
			return a, true
		}
	}
	return Attribute{}, false
}
