using System.Reflection;

namespace LstPipe.Core;

/// <summary>The tool's name and version, recorded in every output's provenance.</summary>
public static class ToolInfo
{
    /// <summary>The tool's name.</summary>
    public const string Name = "lstpipe";

    /// <summary>The informational version of the build, for example <c>0.1.0</c>.</summary>
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
