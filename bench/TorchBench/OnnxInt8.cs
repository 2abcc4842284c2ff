using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

/// <summary>Dynamic int8 quantization of an ONNX model's convolutions, as ONNX Runtime's Python quantizer
/// (<c>quantize_dynamic</c>) writes it, for the benchmark only: each Conv with constant weights becomes
/// DynamicQuantizeLinear of its input (uint8, scale and zero point per tensor, computed at run time), ConvInteger with
/// the weights quantized to uint8 per tensor, Cast to float, times the product of the scales, plus the bias.
/// ConvTranspose, MatMul and the per-sample kernel's Conv (inside the Scan) stay float32.</summary>
internal static class OnnxInt8
{
    public static void Quantize(string input, string output)
    {
        var m = ModelProto.Parser.ParseFrom(File.ReadAllBytes(input));
        var g = m.Graph;
        var weights = g.Initializer.ToDictionary(t => t.Name);
        var nodes = new List<NodeProto>();
        var used = new HashSet<string>();
        var k = 0;
        foreach (var node in g.Node)
        {
            if (node.OpType != "Conv" || !weights.TryGetValue(node.Input[1], out var w))
            {
                nodes.Add(node);
                continue;
            }

            var p = $"int8_{k++}_";
            var values = MemoryMarshal.Cast<byte, float>(w.RawData.Span).ToArray();
            var (min, max) = (Math.Min(0f, values.Min()), Math.Max(0f, values.Max()));
            var scale = max > min ? (max - min) / 255f : 1f;
            var zero = (byte)Math.Clamp(Math.Round(-min / scale), 0, 255);
            var q = values.Select(v => (byte)Math.Clamp(Math.Round(v / scale) + zero, 0, 255)).ToArray();
            g.Initializer.Add(Tensor(p + "w", TensorProto.Types.DataType.Uint8, w.Dims, q));
            g.Initializer.Add(Tensor(p + "ws", TensorProto.Types.DataType.Float, [], MemoryMarshal.AsBytes(new[] { scale }.AsSpan()).ToArray()));
            g.Initializer.Add(Tensor(p + "wz", TensorProto.Types.DataType.Uint8, [], [zero]));
            nodes.Add(Node("DynamicQuantizeLinear", [node.Input[0]], [p + "x", p + "xs", p + "xz"]));
            var conv = Node("ConvInteger", [p + "x", p + "w", p + "xz", p + "wz"], [p + "y"]);
            conv.Attribute.AddRange(node.Attribute);
            nodes.Add(conv);
            var cast = Node("Cast", [p + "y"], [p + "yf"]);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            nodes.Add(cast);
            nodes.Add(Node("Mul", [p + "xs", p + "ws"], [p + "s"]));
            var hasBias = node.Input.Count > 2;
            nodes.Add(Node("Mul", [p + "yf", p + "s"], [hasBias ? p + "ys" : node.Output[0]]));
            if (hasBias)
            {
                var b = weights[node.Input[2]];
                g.Initializer.Add(Tensor(p + "b", TensorProto.Types.DataType.Float, [b.Dims[0], 1, 1], b.RawData.ToByteArray()));
                nodes.Add(Node("Add", [p + "ys", p + "b"], [node.Output[0]]));
            }
        }

        g.Node.Clear();
        g.Node.AddRange(nodes);
        foreach (var n in AllNodes(g))
        {
            used.UnionWith(n.Input);
        }

        var kept = g.Initializer.Where(t => used.Contains(t.Name)).ToList();
        g.Initializer.Clear();
        g.Initializer.AddRange(kept);
        File.WriteAllBytes(output, m.ToByteArray());
    }

    private static IEnumerable<NodeProto> AllNodes(GraphProto g) =>
        g.Node.SelectMany(n => n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G)).Prepend(n));

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var n = new NodeProto { OpType = op, Name = outputs[0] + "_" + op };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        return n;
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, IEnumerable<long> dims, byte[] raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        return t;
    }
}
