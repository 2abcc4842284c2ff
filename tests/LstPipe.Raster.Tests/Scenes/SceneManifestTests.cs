using System.Text.Json;
using LstPipe.Raster.Scenes;

namespace LstPipe.Raster.Tests.Scenes;

public class SceneManifestTests
{
    /// <summary>A manifest of the ten GrokLST channels.</summary>
    internal static SceneManifest Sample() => new()
    {
        Id = "s1",
        Crs = new SceneCrs("PROJCS[\"x\"]", 32650),
        GeoTransform = [399960, 30, 0, 4400040, 0, -30],
        Width = 100,
        Height = 80,
        Lst = new SceneLst("lst.tif", "K", -9999),
        Guidance = new SceneGuidance("guidance.tif", -9999, GuidanceChannel.GrokLst),
        Provenance = new SceneProvenance { Sensor = "synthetic", Sources = [new SourceFile("a.tif", "00", "lst")] },
    };

    [Fact]
    public void Json_round_trip_keeps_every_field()
    {
        var m = Sample();
        var back = SceneManifest.FromJson(m.ToJson());
        Assert.Equal(m.Id, back.Id);
        Assert.Equal(m.Crs, back.Crs);
        Assert.Equal(m.GeoTransform, back.GeoTransform);
        Assert.Equal(m.Guidance.Bands, back.Guidance.Bands);
        Assert.Equal(m.Provenance.Sources, back.Provenance.Sources);
        Assert.Equal(SceneManifest.CurrentFormat, back.Format);
    }

    [Fact]
    public void GrokLst_channel_order_is_the_contract_order()
    {
        Assert.Equal(["dem", "deepblue", "blue", "green", "red", "vre", "nir", "ndmvi", "ndvi", "ndwi"], GuidanceChannel.GrokLstNames);
    }

    [Fact]
    public void A_manifest_missing_required_fields_is_rejected()
    {
        Assert.ThrowsAny<JsonException>(() => SceneManifest.FromJson("{\"id\": \"x\"}"));
    }
}
