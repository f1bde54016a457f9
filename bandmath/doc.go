// Package bandmath combines several input arrays (satellite bands) into one:
// an expression language over named inputs, a [Source] that reads every
// input of one chunk onto a common grid, and named RGB recipes.
//
// # Expressions
//
// An expression such as
//
//	where(bt(c07) > 320, 1, 0) + clip(reflectance(c05), 0, 1)
//
// names inputs (c05, c07: identifiers), uses + - * / with the usual
// precedence, unary minus, parentheses, numbers (1, 2.5, 1e-3),
// comparisons (< <= > >= == !=, giving 1 or 0), and the functions
// where(cond, a, b), clip(x, lo, hi), min(a, b), max(a, b), abs(x),
// sqrt(x) and log(x). bt(name), reflectance(name) and calibrate(name)
// apply the single-input kernels of package kernels to one input, with
// that input's parameters (Planck constants, kappa0). Inputs arrive
// calibrated (see [Source]), so calibrate(name) is the input itself.
//
// [Parse] turns the text into a typed syntax tree with positions;
// [Compile] binds it to inputs and yields a [Program]. Errors from both
// are [*ExprError] values that print the expression with a caret under the
// offending part.
//
// # Arithmetic
//
// Every operation is computed in float32 and rounded on its own, as numpy
// computes with float32 arrays and Python scalars: numbers are rounded to
// float32, NaN propagates through arithmetic, min, max and clip (like
// np.minimum and np.maximum), comparisons with NaN give 0 except != (1),
// and where treats any non-zero condition, NaN included, as true. bt and
// reflectance run the kernels' own code, so bt(c07) in an expression has
// the same bits as the bt kernel applied to the calibrated input.
//
// A [Program] evaluates a chunk in blocks of [BlockSize] elements with one
// small scratch vector per distinct subexpression, so it allocates nothing
// per chunk and never holds a full-size intermediate array.
//
// # Grids
//
// Inputs may differ in resolution by whole factors (ABI band 5 is 1 km,
// bands 6 and 7 are 2 km). A [Source] brings each input onto a target grid:
// a finer input is reduced by a NaN-ignoring block mean (kernels.Coarsen),
// a coarser one is repeated f x f times.
package bandmath
