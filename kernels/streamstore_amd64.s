//go:build goexperiment.simd && amd64

#include "textflag.h"

// func streamCopy64(dst, src unsafe.Pointer, blocks int)
//
// Copies blocks 64-byte blocks from src to dst with non-temporal stores
// (VMOVNTPS). dst must be 64-byte aligned and blocks > 0; src may have any
// alignment. The stores are weakly ordered: storeFence must follow before
// the data is handed on. See streamStore.
TEXT ·streamCopy64(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ blocks+16(FP), CX

	// Two blocks (one 128-byte pair of cache lines) per turn while two
	// or more remain.
pairs:
	CMPQ CX, $2
	JLT  last
	VMOVUPS  (SI), Z0
	VMOVUPS  64(SI), Z1
	VMOVNTPS Z0, (DI)
	VMOVNTPS Z1, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $2, CX
	JMP  pairs

last:
	TESTQ CX, CX
	JZ    done
	VMOVUPS  (SI), Z0
	VMOVNTPS Z0, (DI)

done:
	VZEROUPPER
	RET

// func storeFence()
//
// SFENCE: orders every earlier non-temporal store before later stores.
TEXT ·storeFence(SB), NOSPLIT, $0-0
	SFENCE
	RET
