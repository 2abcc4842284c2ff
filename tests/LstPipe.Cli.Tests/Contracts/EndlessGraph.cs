using Onnx;
using static Onnx.TensorProto.Types;

namespace LstPipe.Cli.Tests.Contracts;

/// <summary>Replaces an ONNX conversion's network by one that never ends: the guidance's first channel goes through a
/// <c>Loop</c> of 2^62 trips whose body passes it on unchanged. The inputs, the declared output and the metadata stay
/// those <c>lstpipe convert</c> wrote, so the model is accepted when opened (a small file, as a small network's) and runs
/// at full speed, for ever, once a forward starts.</summary>
internal static class EndlessGraph
{
    /// <summary>Replaces the graph's nodes by the endless loop.</summary>
    public static void Loop(ModelProto m)
    {
        var g = m.Graph;
        g.Node.Clear();
        g.Initializer.Clear();
        g.ValueInfo.Clear();
        var slice = new NodeProto { OpType = "Slice", Name = "endless_first_channel" };
        slice.Input.Add(["hr_guidance", Constant(g, "endless_start", DataType.Int64, 0, scalar: false),
            Constant(g, "endless_end", DataType.Int64, 1, scalar: false), Constant(g, "endless_axis", DataType.Int64, 1, scalar: false)]);
        slice.Output.Add("first_channel");
        var body = new GraphProto { Name = "endless_body" };
        body.Input.Add([Value("iteration", DataType.Int64, scalar: true), Value("going_in", DataType.Bool, scalar: true),
            Value("lst_in", DataType.Float, scalar: false)]);
        body.Output.Add([Value("going_out", DataType.Bool, scalar: true), Value("lst_out", DataType.Float, scalar: false)]);
        body.Node.Add([Node("Identity", ["going_in"], "going_out"), Node("Identity", ["lst_in"], "lst_out")]);
        var loop = Node("Loop", [Constant(g, "endless_trips", DataType.Int64, 1L << 62, scalar: true),
            Constant(g, "endless_going", DataType.Bool, 1, scalar: true), "first_channel"], "sr_lst");
        loop.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body });
        g.Node.Add([slice, loop]);
    }

    private static string Constant(GraphProto g, string name, DataType type, long value, bool scalar)
    {
        var t = new TensorProto { Name = name, DataType = (int)type };
        if (!scalar)
        {
            t.Dims.Add(1);
        }

        if (type == DataType.Bool)
        {
            t.Int32Data.Add((int)value);
        }
        else
        {
            t.Int64Data.Add(value);
        }

        g.Initializer.Add(t);
        return name;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = "endless_" + output };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto Value(string name, DataType type, bool scalar)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (scalar)
        {
            tensor.Shape = new TensorShapeProto();
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
