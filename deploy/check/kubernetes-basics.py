#!/usr/bin/env python3
"""Offline checks of deploy/kubernetes that need no cluster and no schema download: every file
parses, every object has apiVersion/kind/metadata.name, and the pieces fit together (selectors
match the pod labels, Service target ports name container ports, mounted volumes and ConfigMap
keys exist, probes hit the metrics port's /healthz and /readyz, the pod runs non-root and can bind
53). Exit 1 with one line per problem."""
import json
import pathlib
import sys

import yaml

root = pathlib.Path(__file__).resolve().parents[2]
kube = root / "deploy" / "kubernetes"
problems = []


def need(condition, what):
    if not condition:
        problems.append(what)


docs = {}
for path in sorted(kube.glob("*.yaml")):
    for doc in yaml.safe_load_all(path.read_text()):
        if doc is None:
            continue
        need(isinstance(doc.get("apiVersion"), str) and isinstance(doc.get("kind"), str), f"{path.name}: apiVersion and kind")
        if doc.get("kind") != "Kustomization":
            need(isinstance(doc.get("metadata", {}).get("name"), str), f"{path.name}: metadata.name")
        docs[(doc["kind"], doc.get("metadata", {}).get("name"))] = (path.name, doc)

kustomization = docs[("Kustomization", None)][1]
for resource in kustomization["resources"]:
    need((kube / resource).exists(), f"kustomization.yaml: {resource} missing")

config = docs[("ConfigMap", "dnsblserver")][1]
settings = json.loads(config["data"]["appsettings.json"])["Dnsbl"]
need(settings["Metrics"]["Listen"].endswith(":9153"), "appsettings.json: Metrics:Listen on port 9153")
need(all(l.endswith("/53") for l in settings["Listen"]), "appsettings.json: listen on port 53")
need(config["data"]["microsoft-eop.txt"] == (root / "zones/exempt/microsoft-eop.txt").read_text(),
     "configmap.yaml: microsoft-eop.txt differs from zones/exempt/microsoft-eop.txt")

deployment = docs[("Deployment", "dnsblserver")][1]
pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
need(deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items(), "Deployment selector does not match the pod labels")
pod = deployment["spec"]["template"]["spec"]
need(pod["securityContext"].get("runAsNonRoot") is True, "pod runs as non-root")
need({"name": "net.ipv4.ip_unprivileged_port_start", "value": "53"} in pod["securityContext"].get("sysctls", []), "pod may bind port 53")
volumes = {v["name"]: v for v in pod["volumes"]}
containers = {c["name"]: c for c in pod["containers"] + pod.get("initContainers", [])}
server = containers["dnsblserver"]
ports = {p["name"]: p for p in server["ports"]}
need(ports["dns-udp"]["containerPort"] == 53 and ports["dns-udp"]["protocol"] == "UDP", "dns-udp is 53/UDP")
need(ports["dns-tcp"]["containerPort"] == 53 and ports["dns-tcp"]["protocol"] == "TCP", "dns-tcp is 53/TCP")
need(ports["metrics"]["containerPort"] == 9153, "metrics is 9153")
need(server["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}, "readiness probe on /readyz")
need(server["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}, "liveness probe on /healthz")
need("NET_BIND_SERVICE" in server["securityContext"]["capabilities"]["add"], "NET_BIND_SERVICE")
need(server["securityContext"].get("allowPrivilegeEscalation") is False, "no privilege escalation")
need("limits" in server["resources"] and "requests" in server["resources"], "server resources")
sync = containers["zone-sync"]
need(sync.get("restartPolicy") == "Always", "zone-sync is a native sidecar")
for container in containers.values():
    for mount in container.get("volumeMounts", []):
        need(mount["name"] in volumes, f"{container['name']}: volume {mount['name']} not defined")
        if "subPath" in mount and "configMap" in volumes.get(mount["name"], {}):
            need(mount["subPath"] in config["data"], f"{container['name']}: ConfigMap key {mount['subPath']} missing")
zone_mounts = {c["name"]: m for c in containers.values() for m in c.get("volumeMounts", []) if m["name"] == "zones"}
need(zone_mounts["dnsblserver"].get("readOnly") is True, "the server mounts the zones read-only")
need(zone_mounts["dnsblserver"]["mountPath"] == zone_mounts["zone-sync"]["mountPath"] == settings["WorkingDirectory"],
     "server, sidecar and WorkingDirectory share one zone path")
need("emptyDir" in volumes["zones"], "zones are an emptyDir")
need(volumes["config"]["configMap"]["name"] == "dnsblserver", "config volume names the ConfigMap")

for (kind, name), (file, doc) in docs.items():
    if kind != "Service":
        continue
    need(doc["spec"]["selector"].items() <= pod_labels.items(), f"{file}: Service {name} selects no pod")
    for port in doc["spec"]["ports"]:
        target = ports.get(port["targetPort"])
        need(target is not None and target["protocol"] == port["protocol"], f"{file}: {name} port {port['name']} targets no container port")
dns = docs[("Service", "dnsblserver")][1]
need(sorted((p["port"], p["protocol"]) for p in dns["spec"]["ports"]) == [(53, "TCP"), (53, "UDP")], "Service dnsblserver: 53/UDP and 53/TCP")
monitor = docs[("ServiceMonitor", "dnsblserver")][1]
metrics_service = docs[("Service", "dnsblserver-metrics")][1]
need(monitor["spec"]["selector"]["matchLabels"].items() <= metrics_service["metadata"]["labels"].items(), "ServiceMonitor selects the metrics Service")

for problem in problems:
    print("deploy/kubernetes: " + problem)
print(f"deploy/kubernetes: {len(docs)} objects, {len(problems)} problems")
sys.exit(1 if problems else 0)
