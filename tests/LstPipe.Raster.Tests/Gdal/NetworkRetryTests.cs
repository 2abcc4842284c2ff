using System.Net;
using System.Net.Sockets;
using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

/// <summary>Rasters read through GDAL's /vsicurl/ from a server on 127.0.0.1 that answers 503 a few times first.</summary>
public class NetworkRetryTests
{
    private sealed class FlakyServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly byte[] _file;
        private readonly int _failures;
        private readonly int _status;
        private readonly Task _loop;
        private int _requests;

        public FlakyServer(byte[] file, int failures, int status)
        {
            (_file, _failures, _status) = (file, failures, status);
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(Serve);
        }

        public int Port { get; }

        public int Requests => _requests;

        public string Url => $"/vsicurl/http://127.0.0.1:{Port}/scene.tif";

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext c;
                try
                {
                    c = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var response = c.Response;
                if (c.Request.Url?.AbsolutePath != "/scene.tif")
                {
                    response.StatusCode = 404;
                    continue;
                }

                if (Interlocked.Increment(ref _requests) <= _failures)
                {
                    response.StatusCode = _status;
                    continue;
                }

                var (from, to) = (0L, _file.Length - 1L);
                if (c.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
                {
                    var parts = range[6..].Split('-');
                    from = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
                    to = parts[1].Length > 0 ? Math.Min(to, long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)) : to;
                    response.StatusCode = 206;
                    response.Headers["Content-Range"] = $"bytes {from}-{to}/{_file.Length}";
                }

                response.Headers["Accept-Ranges"] = "bytes";
                response.ContentLength64 = to - from + 1;
                if (c.Request.HttpMethod != "HEAD")
                {
                    await response.OutputStream.WriteAsync(_file.AsMemory((int)from, (int)(to - from + 1)));
                }
            }
        }

        public void Dispose()
        {
            try
            {
                _listener.Close();
            }
            catch (HttpListenerException)
            {
                // The managed listener can report its own endpoint as busy while closing; nothing is left to release.
            }

            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    private static byte[] Scene(TempDir dir)
    {
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTransform.NorthUp(500000, 4000000, 30), 64, 48);
        using (var w = GeoTiffWriter.Create(dir.File("scene.tif"), grid, 1, options: new GeoTiffOptions { Compression = TiffCompression.None }))
        {
            w.Write(1, grid.Extent, Enumerable.Range(0, 64 * 48).Select(i => 280f + i % 17).ToArray());
            w.Commit();
        }

        return File.ReadAllBytes(dir.File("scene.tif"));
    }

    /// <summary>Runs <paramref name="body"/> with four retries 20 ms apart that log into <paramref name="log"/>, then
    /// puts back the process-wide policy and log.</summary>
    private static void WithQuickRetries(List<string> log, Action body)
    {
        var (policy, sink) = (RasterDataset.NetworkRetries, RasterDataset.RetryLog);
        try
        {
            RasterDataset.NetworkRetries = new RetryPolicy(4, TimeSpan.FromMilliseconds(20));
            RasterDataset.RetryLog = log.Add;
            body();
        }
        finally
        {
            (RasterDataset.NetworkRetries, RasterDataset.RetryLog) = (policy, sink);
        }
    }

    [Fact]
    public void A_server_that_answers_503_twice_is_read_on_a_retry_and_each_retry_is_logged()
    {
        using var dir = new TempDir();
        using var server = new FlakyServer(Scene(dir), failures: 2, status: 503);
        var log = new List<string>();
        WithQuickRetries(log, () =>
        {
            using var d = RasterDataset.Open(server.Url);
            Assert.Equal((64, 48), (d.Width, d.Height));
            var values = new float[64 * 48];
            d.GetBand(1).Read(d.Extent, values);
            Assert.Equal(280f + 5, values[5]);
        });

        Assert.InRange(log.Count, 1, 2);
        Assert.All(log, l => Assert.Contains("transient failure (HTTP 503); retry", l, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_is_a_data_error_at_once_not_retried()
    {
        using var dir = new TempDir();
        using var server = new FlakyServer(Scene(dir), failures: 1000, status: 404);
        var log = new List<string>();
        WithQuickRetries(log, () =>
        {
            var e = Assert.Throws<DataException>(() => RasterDataset.Open(server.Url));
            Assert.StartsWith(server.Url + ": ", e.Message, StringComparison.Ordinal);
        });

        Assert.Empty(log);
    }
}
