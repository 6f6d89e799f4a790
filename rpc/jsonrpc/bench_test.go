package jsonrpc_test

import (
	"testing"

	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/rpc/rpctest"
)

// BenchmarkJSONRPCEncode writes the same result as JSON-RPC does.
func BenchmarkJSONRPCEncode(b *testing.B) {
	rpctest.BenchEncode(b, jsonrpc.Encode, rpctest.SearchReadRecords(80))
}

// BenchmarkJSONRPCEncodeTable writes that table as JSON-RPC does.
func BenchmarkJSONRPCEncodeTable(b *testing.B) {
	rpctest.BenchEncode(b, jsonrpc.Encode, rpctest.TableOf(rpctest.SearchReadRecords(80)))
}
