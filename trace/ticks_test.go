package trace

import (
	"reflect"
	"testing"
)

func TestSecondsTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		labels []string
	}{
		{"40 ms", 0, 0.04, []string{"0.000", "0.005", "0.010", "0.015", "0.020", "0.025", "0.030", "0.035", "0.040"}},
		{"130 ms", 0, 0.13, []string{"0.00", "0.02", "0.04", "0.06", "0.08", "0.10", "0.12"}},
		{"7 s", 0, 7, []string{"0", "1", "2", "3", "4", "5", "6", "7"}},
		{"90 s", 0, 90, []string{"0", "10", "20", "30", "40", "50", "60", "70", "80", "90"}},
		{"empty range", 0, 0, []string{"0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var labels []string
			minor := 0
			for _, tk := range (secondsTicks{}).Ticks(tc.lo, tc.hi) {
				if tk.Value < tc.lo || tk.Value > tc.hi*(1+1e-9) {
					t.Errorf("tick %g outside [%g, %g]", tk.Value, tc.lo, tc.hi)
				}
				if tk.Label == "" {
					minor++
				} else {
					labels = append(labels, tk.Label)
				}
			}
			if !reflect.DeepEqual(labels, tc.labels) {
				t.Errorf("labels %v, want %v", labels, tc.labels)
			}
			if tc.hi > tc.lo && minor == 0 {
				t.Error("no minor ticks")
			}
		})
	}
}
