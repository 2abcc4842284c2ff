using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace LstPipe.Onnx;

/// <summary>Builds one ONNX graph (the model's, or a subgraph of a control-flow node) as OnnxSharp's protobuf
/// messages: nodes with generated output names, weights as initializers under their state-dict names, and constants
/// shared by value.</summary>
internal sealed class GraphBuilder
{
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private int _next;

    /// <summary>Starts an empty graph; <paramref name="prefix"/> keeps its value names apart from other graphs'.</summary>
    public GraphBuilder(string name, string prefix = "")
    {
        Graph = new GraphProto { Name = name };
        _prefix = prefix;
    }

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Nodes(op, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs and returns their names.</summary>
    public string[] Nodes(string op, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var id = _next++;
        var node = new NodeProto { OpType = op, Name = string.Create(CultureInfo.InvariantCulture, $"{_prefix}{op}_{id}") };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(k => string.Create(CultureInfo.InvariantCulture,
            $"{_prefix}{op.ToLowerInvariant()}_{id}{(k == 0 ? "" : "_" + k)}")).ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Adds a float32 initializer from a TorchSharp tensor (in its shape, or <paramref name="shape"/>) under
    /// <paramref name="name"/>.</summary>
    public string Weight(string name, Tensor tensor, long[]? shape = null)
    {
        using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return Floats(name, cpu.data<float>().ToArray(), shape ?? cpu.shape);
    }

    /// <summary>Adds a float32 initializer.</summary>
    public string Floats(string name, float[] values, long[] shape)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(shape);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>A float32 constant (one value: a scalar; more: a 1-D tensor), shared by value.</summary>
    public string Const(params float[] values)
    {
        var key = "f:" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        if (!_constants.TryGetValue(key, out var name))
        {
            name = Floats($"{_prefix}const_f{_constants.Count}", values, values.Length == 1 ? [] : [values.Length]);
            _constants[key] = name;
        }

        return name;
    }

    /// <summary>A 1-D int64 constant, shared by value.</summary>
    public string Ints(params long[] values)
    {
        var key = "i:" + string.Join(",", values);
        if (!_constants.TryGetValue(key, out var name))
        {
            name = $"{_prefix}const_i{_constants.Count}";
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
            t.Dims.Add(values.Length);
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
            Graph.Initializer.Add(t);
            _constants[key] = name;
        }

        return name;
    }

    /// <summary>Declares a float32 graph input of the given dimensions (a string: symbolic; a long: fixed; null: unknown).</summary>
    public void Input(string name, params object?[] dims) => Graph.Input.Add(Value(name, dims));

    /// <summary>Declares a float32 graph output.</summary>
    public void Output(string name, params object?[] dims) => Graph.Output.Add(Value(name, dims));

    /// <summary>A float32 tensor value of any shape.</summary>
    public static ValueInfoProto Value(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
    };

    /// <summary>A float32 tensor value of the given dimensions.</summary>
    public static ValueInfoProto Value(string name, params object?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d is string symbol)
            {
                dim.DimParam = symbol;
            }
            else if (d is long or int)
            {
                dim.DimValue = Convert.ToInt64(d, CultureInfo.InvariantCulture);
            }

            shape.Dim.Add(dim);
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}

/// <summary>Node attributes.</summary>
internal static class Attr
{
    /// <summary>An integer.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A list of integers.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A float.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A string.</summary>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A graph (the body of a control-flow node).</summary>
    public static AttributeProto Graph(string name, GraphProto graph) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };
}
