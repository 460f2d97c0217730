// Stratus's retiring service worker (docs/offline.md): served as sw.js by debug builds, and
// the file to deploy as sw.js to take the offline cache out of a production site. An open
// page's next check for updates installs it; it deletes this app's caches and unregisters
// itself, so the next load comes from the network. The pages it served keep running
// (it does not reload them) and are not controlled by any worker afterwards.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const prefix = "stratus:" + new URL("./", self.location.href).pathname + ":";
      for (const key of await caches.keys()) {
        if (key.startsWith(prefix)) await caches.delete(key);
      }
      await self.registration.unregister();
    })(),
  );
});
