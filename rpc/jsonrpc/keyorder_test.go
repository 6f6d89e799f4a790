package jsonrpc_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
)

// TestDecodeKeyOrder checks that the decoders keep the order of the keys
// of each dict of dicts (a specification) as the request gave them, nested
// ones too, a repeated key keeping its first place as in a Python dict;
// other objects, and those given sorted, read back sorted.
func TestDecodeKeyOrder(t *testing.T) {
	body := `{"spec": {"zip": {}, "name": null, "country_id": {"fields": {"display_name": {}, "code": {}, "display_name": {}}}}, "b": 1, "a": 2, "b": 3, "sorted": {"a": {}, "b": {}}}`
	for _, c := range []struct {
		name string
		// decode returns the document and its key orders.
		decode func(t *testing.T) (any, *models.KeyOrders)
	}{
		{"document", func(t *testing.T) (any, *models.KeyOrders) {
			v, orders, err := jsonrpc.DecodeOrdered([]byte(body), 100)
			if err != nil {
				t.Fatal(err)
			}
			return v, orders
		}},
		{"JSON-RPC params", func(t *testing.T) (any, *models.KeyOrders) {
			env, err := jsonrpc.DecodeEnvelope([]byte(`{"jsonrpc": "2.0", "id": 1, "params": `+body+`}`), 100)
			if err != nil {
				t.Fatal(err)
			}
			return env.Params, env.Orders
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, orders := c.decode(t)
			ctx := models.WithKeyOrders(context.Background(), orders)
			doc := v.(map[string]any)
			spec := doc["spec"].(map[string]any)
			fields := spec["country_id"].(map[string]any)["fields"].(map[string]any)
			for _, o := range []struct {
				name string
				obj  map[string]any
				want []string
			}{
				{"not a dict of dicts", doc, []string{"a", "b", "sorted", "spec"}},
				{"nested", spec, []string{"zip", "name", "country_id"}},
				{"deeper", fields, []string{"display_name", "code"}},
				{"sorted", doc["sorted"].(map[string]any), []string{"a", "b"}},
			} {
				if got := models.OrderedKeys(ctx, o.obj); !reflect.DeepEqual(got, o.want) {
					t.Errorf("%s: keys %v, want %v", o.name, got, o.want)
				}
			}
			if doc["b"] != int64(3) {
				t.Errorf("a repeated key keeps its last value: %v", doc["b"])
			}
			// Without the orders, keys come sorted.
			if got := models.OrderedKeys(context.Background(), spec); !reflect.DeepEqual(got, []string{"country_id", "name", "zip"}) {
				t.Errorf("without orders: %v", got)
			}
		})
	}
}
