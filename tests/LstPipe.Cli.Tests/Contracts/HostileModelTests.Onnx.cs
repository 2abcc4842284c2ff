using Onnx;

namespace LstPipe.Cli.Tests.Contracts;

/// <summary>ONNX models with the right inputs and metadata but a wrong output, made from the fixture's checkpoint
/// converted by <c>lstpipe convert</c>: the graph's output is routed through one more node. A declared output that
/// cannot be B x 1 x H x W is refused when the model is opened; an output whose shape only shows when it runs is refused
/// at that run. Each is one data error naming the model and the shapes, and nothing is written.</summary>
public partial class HostileModelTests
{
    private const string Output = "sr_lst";

    /// <summary>A copy of the fixture's ONNX conversion changed by <paramref name="edit"/>.</summary>
    private string Onnx(string name, Action<ModelProto> edit) => f.Onnx(name, edit);

    /// <summary>Routes the network's output through <paramref name="op"/> (its first input; then the given int64
    /// constants) and declares the graph's output with <paramref name="dims"/> (a string: symbolic).</summary>
    private static void Through(ModelProto m, string op, long[][] constants, AttributeProto? attribute, params object[] dims)
    {
        var last = m.Graph.Node.Single(n => n.Output.Contains(Output));
        last.Output[last.Output.IndexOf(Output)] = "network_output";
        var node = new NodeProto { OpType = op, Name = "hostile" };
        node.Input.Add("network_output");
        if (op == "Concat")
        {
            node.Input.Add("network_output");
        }

        for (var k = 0; k < constants.Length; k++)
        {
            var t = new TensorProto { Name = $"hostile_{k}", DataType = (int)TensorProto.Types.DataType.Int64 };
            t.Dims.Add(constants[k].Length);
            t.Int64Data.AddRange(constants[k]);
            m.Graph.Initializer.Add(t);
            node.Input.Add(t.Name);
        }

        if (attribute is not null)
        {
            node.Attribute.Add(attribute);
        }

        node.Output.Add(Output);
        m.Graph.Node.Add(node);
        var shape = m.Graph.Output[0].Type.TensorType.Shape;
        shape.Dim.Clear();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension
            {
                DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture),
            });
        }
    }

    private static AttributeProto Axis1 => new() { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 };

    private static void Hostile(ModelProto m, string output)
    {
        switch (output)
        {
            case "two-channels-declared":
                Through(m, "Concat", [], Axis1, "batch", 2L, "height", "width");
                break;
            case "two-channels":
                Through(m, "Concat", [], Axis1, "batch", "channels", "height", "width");
                break;
            case "twice-the-size":
                Through(m, "Tile", [[1, 1, 2, 2]], null, "batch", 1L, "height2", "width2");
                break;
            case "smaller":
                Through(m, "Slice", [[0, 0], [-1, -1], [2, 3]], null, "batch", 1L, "height1", "width1");
                break;
        }
    }

    private const string Declared2 = "its graph's output 'sr_lst' is declared float [batch, 2, height, width]; a downscaler gives " +
        "float [B, 1, H, W]";

    private const string Tile32 = "for 1 tile(s) of 32 x 32 px LR LST; a x4 downscaler must give Float [1, 1, 128, 128]";

    private const string Tile16 = "for 1 tile(s) of 16 x 16 px LR LST; a x4 downscaler must give Float [1, 1, 64, 64]";

    [Theory]
    [InlineData("two-channels-declared", Declared2)]
    [InlineData("two-channels", Declared2)]
    [InlineData("twice-the-size", "its output sr_lst is Float [1, 1, 256, 256] " + Tile32)]
    [InlineData("smaller", "its output sr_lst is Float [1, 1, 127, 127] " + Tile32)]
    public void Predict_refuses_an_onnx_model_whose_output_is_not_one_lst_channel_at_the_guidance_size(string output, string message)
    {
        var model = Onnx(output, m => Hostile(m, output));
        var tif = f.File(output + "-onnx.tif");
        var r = CliRunner.Run("predict", "--checkpoint", model, "--lst", f.Lr, "--guidance", f.Guidance, "--out", tif, "--window", "128",
            "--batch-size", "1");
        CliRunner.AssertOneLineError(r, 1, $"{model}: {message}");
        Assert.False(File.Exists(tif));
    }

    [Theory]
    [InlineData("two-channels", Declared2)]
    [InlineData("twice-the-size", "its output sr_lst is Float [1, 1, 128, 128] " + Tile16)]
    [InlineData("smaller", "its output sr_lst is Float [1, 1, 63, 63] " + Tile16)]
    public void Test_refuses_an_onnx_model_whose_output_has_the_wrong_shape(string output, string message)
    {
        var model = Onnx(output + "-test", m => Hostile(m, output));
        var r = CliRunner.Run("test", "--checkpoint", model, "--dataset", f.Dataset, "--out", f.File(output + "-eval"), "--panels", "0",
            "--batch-size", "1");
        CliRunner.AssertOneLineError(r, 1, $"{model}: {message}");
        Assert.False(Directory.Exists(f.File(output + "-eval")) && Directory.EnumerateFiles(f.File(output + "-eval")).Any());
    }

    [Fact]
    public void An_onnx_model_whose_contract_says_fahrenheit_is_refused_when_opened()
    {
        var model = Onnx("fahrenheit", m =>
        {
            var c = m.MetadataProps.Single(p => p.Key == "lstpipe.contract");
            c.Value = c.Value.Replace("\"lstUnit\": \"K\"", "\"lstUnit\": \"F\"", StringComparison.Ordinal);
        });
        var r = CliRunner.Run("predict", "--checkpoint", model, "--lst", f.Lr, "--guidance", f.Guidance, "--out", f.File("f.tif"));
        CliRunner.AssertOneLineError(r, 1, $"{model}: its lstpipe.contract metadata has lstUnit 'F'; it must be K");
    }
}
