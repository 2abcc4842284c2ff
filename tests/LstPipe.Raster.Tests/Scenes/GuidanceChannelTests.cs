using LstPipe.Raster.Scenes;

namespace LstPipe.Raster.Tests.Scenes;

public class GuidanceChannelTests
{
    private static SceneManifest With(params GuidanceChannel[] channels) =>
        SceneManifestTests.Sample() with { Guidance = new SceneGuidance("guidance.tif", -9999, channels) };

    [Fact]
    public void A_stored_kind_is_written_to_scene_json_and_read_back_whatever_the_description_says()
    {
        var red = new GuidanceChannel("red", "1", "red surface reflectance") { Kind = GuidanceKinds.ReflectanceToa };
        var json = With(red).ToJson();
        Assert.Contains("\"kind\": \"reflectance-toa\"", json, StringComparison.Ordinal);
        var back = SceneManifest.FromJson(json).Guidance.Bands[0];
        Assert.Equal(GuidanceKinds.ReflectanceToa, back.Kind);
        Assert.Equal(red, back);
        Assert.NotEqual(GuidanceChannel.GrokLst[4], back);
    }

    [Fact]
    public void A_scene_json_written_before_kinds_were_stored_derives_them_as_before()
    {
        var json = With(GuidanceChannel.GrokLst.ToArray()).ToJson();
        var old = System.Text.RegularExpressions.Regex.Replace(json, @",\s*""kind"": ""[^""]*""", "");
        Assert.DoesNotContain("\"kind\"", old, StringComparison.Ordinal);
        var bands = SceneManifest.FromJson(old).Guidance.Bands;
        Assert.Equal(["elevation", "reflectance-surface", "reflectance-surface", "reflectance-surface", "reflectance-surface",
            "reflectance-surface", "reflectance-surface", "index", "index", "index"], bands.Select(b => b.Kind));
        Assert.Equal(GuidanceChannel.GrokLst, bands);
        Assert.Equal(GuidanceKinds.ReflectanceToa, new GuidanceChannel("red", "1", "red top-of-atmosphere reflectance").Kind);
    }

    [Fact]
    public void The_kinds_are_one_public_list()
    {
        Assert.Equal(["elevation", "reflectance-toa", "reflectance-surface", "index", "radiance", "brightness-temperature", "dn",
            "other"], GuidanceKinds.All);
        Assert.True(GuidanceKinds.IsKnown("dn"));
        Assert.False(GuidanceKinds.IsKnown("toa"));
        Assert.All(GuidanceChannel.GrokLst, c => Assert.True(GuidanceKinds.IsKnown(c.Kind)));
    }
}
