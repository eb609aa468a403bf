import json,sys,collections,subprocess,re,datetime,os
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"
f=sys.argv[1]; skip=float(sys.argv[2]) if len(sys.argv)>2 else 0
until=float(sys.argv[3]) if len(sys.argv)>3 else None  # seconds from the start: the window's end
out=subprocess.run([J,"print","--json","--stack-depth","256","--events","jdk.CPUTimeSample",f],capture_output=True,text=True).stdout
ev=json.loads(out)["recording"]["events"]
def ts(e): return datetime.datetime.fromisoformat(e["values"]["startTime"].replace("Z","+00:00")).timestamp()
if skip or until:
    st=min(ts(e) for e in ev); ev=[e for e in ev if ts(e)-st>=skip and (until is None or ts(e)-st<until)]
def frames(e):
    st=e["values"].get("stackTrace") or {}
    return [(fr["method"]["type"]["name"].replace("/",".")+"."+fr["method"]["name"]) for fr in st.get("frames",[])]
def thread(e):
    t=e["values"].get("eventThread") or e["values"].get("sampledThread") or {}
    return t.get("javaName") or t.get("osName") or "?"
leaf=[("jfr",r"^jdk\.jfr|jdk\.internal\.event"),("logging",r"^ch\.qos\.logback|^net\.logstash|^org\.slf4j"),
("tracing",r"^io\.opentelemetry|^dev\.vigil\.telemetry\.(Tracing|Traced|TraceMdc)"),("metrics",r"^io\.micrometer|^io\.prometheus"),
("json(jackson)",r"^tools\.jackson|^com\.fasterxml"),("jdbc/jdbi/hikari",r"^org\.postgresql|^org\.jdbi|^com\.zaxxer"),
("cel",r"^dev\.cel|^com\.google"),("jetty/javalin",r"^org\.eclipse\.jetty|^io\.javalin"),("jdk-httpclient",r"^jdk\.internal\.net\.http"),
("kafka-client",r"^org\.apache\.kafka\.clients"),("kafka-broker",r"^kafka\.|^org\.apache\.kafka\.(storage|server|raft|controller|coordinator|metadata|image|queue|deferred|timeline|security)"),
("kafka-common",r"^org\.apache\.kafka\.common"),("vigil",r"^dev\.vigil")]
purpose=[("bench",r"dev\.vigil\.bench"),("configsvc(sim)",r"dev\.vigil\.simulate"),("api ingest",r"ResultsHandler|dev\.vigil\.api"),("results write",r"dev\.vigil\.results\.(ResultWriter|internal)"),
("worker submit",r"ResultsClient"),("worker fetch",r"dev\.vigil\.sources"),("worker eval",r"dev\.vigil\.checks"),("worker other",r"dev\.vigil\.worker"),("scheduler",r"dev\.vigil\.scheduling"),("app",r"dev\.vigil\.app"),
("broker",r"^kafka\.|org\.apache\.kafka\.(storage|server|raft|controller|coordinator|metadata|image)"),("jetty",r"org\.eclipse\.jetty"),("jdk-httpclient",r"jdk\.internal\.net\.http"),("kafka-client",r"org\.apache\.kafka\.clients")]
L=collections.Counter();P=collections.Counter();T=collections.Counter();PL=collections.Counter();S=collections.Counter()
for e in ev:
    fr=frames(e); th=re.sub(r"\d+","#",thread(e)); T[th]+=1
    l="jdk/other"
    for fn in fr:
        hit=[n for n,rx in leaf if re.search(rx,fn)]
        if hit: l=hit[0];break
    p="?"
    for n,rx in purpose:
        if any(re.search(rx,fn) for fn in fr): p=n;break
    if p=="?": p="thread:"+th
    L[l]+=1;P[p]+=1;PL[(p,l)]+=1
    if fr: S[fr[0]]+=1
n=len(ev);print("samples",n)
for title,c,k in (("by library (innermost)",L,20),("by purpose (outer)",P,25),("purpose x library",PL,40),("threads",T,20),("self",S,int(os.environ.get("SELF","25")))):
    print("==",title)
    for a,v in c.most_common(k): print(f"{v*100/n:5.1f}% {a}")
