using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Crop;

namespace LstPipe.Dataset.Tests.Cards;

public class DatasetCardTests
{
    private static readonly Lazy<string> Card = new(() =>
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 128, 128);
        return CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64, Workers = 1 }).Card.ToJson();
    });

    private static string Edited(Action<JsonObject> edit)
    {
        var card = JsonNode.Parse(Card.Value)!.AsObject();
        edit(card);
        return card.ToJsonString();
    }

    private static JsonArray Names(params string[] names) => new(names.Select(n => (JsonNode)n).ToArray());

    [Theory]
    [InlineData("../../../../x/pwn.mat")]
    [InlineData("/etc/pwn.mat")]
    [InlineData("sub/00001.mat")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a\0.mat")]
    [InlineData("a\\b.mat")]
    [InlineData("")]
    public void A_file_name_that_is_not_a_plain_name_is_refused_naming_the_card(string name)
    {
        var json = Edited(c => c["fileNames"] = Names(name, "b.mat", "c.mat", "d.mat"));
        var e = Assert.Throws<DataException>(() => DatasetCard.FromJson(json, "ds/dataset.json"));
        Assert.StartsWith("ds/dataset.json: fileNames[0] ", e.Message, StringComparison.Ordinal);
        Assert.Contains("a plain file name", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scale_label_that_climbs_out_is_refused()
    {
        var json = Edited(c => c["scales"]![1]!["label"] = "../../x");
        Assert.StartsWith("ds/dataset.json: scales[1].label '../../x' ", Assert.Throws<DataException>(() => DatasetCard.FromJson(json, "ds/dataset.json")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_names_that_do_not_name_every_tile_are_refused()
    {
        var json = Edited(c => c["fileNames"] = Names("a.mat", "b.mat"));
        Assert.Equal("ds/dataset.json: fileNames holds 2 names for 9 tiles; adopt the folder again ('lstpipe adopt --force')",
            Assert.Throws<DataException>(() => DatasetCard.FromJson(json, "ds/dataset.json")).Message);
        var plain = Enumerable.Range(0, 9).Select(i => $"tile..{i}.mat").ToArray();
        Assert.Equal(plain, DatasetCard.FromJson(Edited(c => c["fileNames"] = Names(plain)), "x").FileNames);
    }
}
