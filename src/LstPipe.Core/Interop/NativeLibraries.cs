using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using LstPipe.Core.Errors;

namespace LstPipe.Core.Interop;

/// <summary>
/// Maps the short library names used in <c>[LibraryImport]</c> declarations (<c>gdal</c>, <c>matio</c>, <c>deflate</c>)
/// to the versioned sonames the Debian runtime packages install, so that the project runs without the -dev packages'
/// unversioned links. A missing library becomes a <see cref="DataException"/> that names the package to install.
/// </summary>
public static class NativeLibraries
{
    private static readonly Dictionary<string, NativeLibrarySpec> Known = new(StringComparer.Ordinal)
    {
        ["gdal"] = new("GDAL", ["libgdal.so.32", "libgdal.so"], "libgdal32"),
        ["matio"] = new("matio", ["libmatio.so.11", "libmatio.so"], "libmatio11"),
        ["deflate"] = new("libdeflate", ["libdeflate.so.0", "libdeflate.so"], "libdeflate0"),
        ["libc"] = new("The C library", ["libc.so.6"], "libc6"),
    };

    private static readonly ConcurrentDictionary<string, nint> Loaded = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Assembly, bool> Registered = new();

    private static readonly object Gate = new();

    /// <summary>Installs the resolver for the <c>[LibraryImport]</c> declarations of <paramref name="assembly"/>;
    /// idempotent and thread-safe: no caller returns before the resolver is in place (a thread that returned early
    /// would make the runtime probe the short name itself, fail and remember the failure).</summary>
    public static void Register(Assembly assembly)
    {
        if (Registered.ContainsKey(assembly))
        {
            return;
        }

        lock (Gate)
        {
            if (!Registered.ContainsKey(assembly))
            {
                NativeLibrary.SetDllImportResolver(assembly, Resolve);
                Registered[assembly] = true;
            }
        }
    }

    /// <summary>Loads a known library now and returns its handle.</summary>
    /// <exception cref="DataException">The library is not installed; the message names the Debian package.</exception>
    public static nint Require(string name)
    {
        if (!Known.TryGetValue(name, out var spec))
        {
            throw new ArgumentException($"unknown native library '{name}'", nameof(name));
        }

        return Loaded.GetOrAdd(name, _ =>
        {
            foreach (var candidate in spec.FileNames)
            {
                if (NativeLibrary.TryLoad(candidate, out var handle))
                {
                    return handle;
                }
            }

            throw new DataException($"{spec.DisplayName} runtime ({spec.FileNames[0]}) is not installed: run scripts/setup.sh " +
                $"(or apt-get install {spec.DebianPackage})");
        });
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        Known.ContainsKey(libraryName) ? Require(libraryName) : nint.Zero;

    private sealed record NativeLibrarySpec(string DisplayName, string[] FileNames, string DebianPackage);
}
