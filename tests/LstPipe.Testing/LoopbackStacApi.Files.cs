using System.Globalization;
using System.Net;
using System.Text;

namespace LstPipe.Testing;

// The loopback API's files: whole, by one range, or by several (multipart/byteranges), with their bytes counted.
public sealed partial class LoopbackStacApi
{
    private void File(HttpListenerRequest request, HttpListenerResponse response, string name)
    {
        if (!_files.TryGetValue(name, out var local) || !System.IO.File.Exists(local))
        {
            Text(response, 404, "not found");
            return;
        }

        if (RequireToken && request.Url!.Query.TrimStart('?') != Token)
        {
            Text(response, 403, "AuthenticationFailed: no or wrong token");
            return;
        }

        var data = System.IO.File.ReadAllBytes(local);
        response.Headers["Accept-Ranges"] = "bytes";
        var ranges = Ranges(request.Headers["Range"], data.Length);
        if (request.HttpMethod == "HEAD")
        {
            response.StatusCode = 200;
            response.ContentLength64 = data.Length;
            return;
        }

        if (ranges.Count == 0)
        {
            Body(response, 200, name, data, "application/octet-stream");
            return;
        }

        if (ranges.Count == 1)
        {
            var (a, b) = ranges[0];
            response.Headers["Content-Range"] = $"bytes {a}-{b}/{data.Length}";
            Body(response, 206, name, data[(int)a..(int)(b + 1)], "application/octet-stream");
            return;
        }

        var boundary = "lstpipe-loopback-boundary";
        using var multipart = new MemoryStream();
        long payload = 0;
        foreach (var (a, b) in ranges)
        {
            multipart.Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n" +
                $"Content-Range: bytes {a}-{b}/{data.Length}\r\n\r\n"));
            multipart.Write(data, (int)a, (int)(b - a + 1));
            payload += b - a + 1;
        }

        multipart.Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"));
        _served.AddOrUpdate(name, payload, (_, v) => v + payload);
        response.StatusCode = 206;
        response.ContentType = "multipart/byteranges; boundary=" + boundary;
        response.ContentLength64 = multipart.Length;
        response.OutputStream.Write(multipart.ToArray());
    }

    private void Body(HttpListenerResponse response, int status, string name, byte[] body, string type)
    {
        _served.AddOrUpdate(name, body.Length, (_, v) => v + body.Length);
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    private static List<(long From, long To)> Ranges(string? header, long length)
    {
        var ranges = new List<(long, long)>();
        if (header is null || !header.StartsWith("bytes=", StringComparison.Ordinal))
        {
            return ranges;
        }

        foreach (var part in header[6..].Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            long a, b;
            if (dash == 0)
            {
                a = Math.Max(0, length - long.Parse(part[1..], CultureInfo.InvariantCulture));
                b = length - 1;
            }
            else
            {
                a = long.Parse(part[..dash], CultureInfo.InvariantCulture);
                b = dash == part.Length - 1 ? length - 1
                    : Math.Min(length - 1, long.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture));
            }

            if (a <= b && a < length)
            {
                ranges.Add((a, b));
            }
        }

        return ranges;
    }
}
