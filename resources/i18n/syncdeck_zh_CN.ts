<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountCombo</name>
    <message>
        <location filename="../../desktop/dialogs/__init__.py" line="142" />
        <source>No account (public lists only)</source>
        <translation>不使用账号（仅限公开列表）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/__init__.py" line="148" />
        <source>%1 — login expired</source>
        <translation>%1（登录已失效）</translation>
    </message>
</context>
<context>
    <name>AccountsPanel</name>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="332" />
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="335" />
        <source>Bilibili accounts</source>
        <translation>B站账号</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="338" />
        <source>SyncDeck uses these logins to read your favorites, watch later and members-only videos. Logins are kept in the system keyring, never in files.</source>
        <translation>SyncDeck 用这些登录读取你的收藏夹、稍后再看和大会员专享视频。登录信息保存在系统密钥环中，绝不写入文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="342" />
        <location filename="../../desktop/panels/accounts.py" line="556" />
        <location filename="../../desktop/panels/accounts.py" line="568" />
        <location filename="../../desktop/panels/accounts.py" line="579" />
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="343" />
        <source>Remove the selected login from SyncDeck and the keyring</source>
        <translation>从 SyncDeck 和系统密钥环中删除所选登录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="345" />
        <source>Log in with QR code</source>
        <translation>扫码登录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="347" />
        <source>Paste cookie…</source>
        <translation>粘贴 Cookie…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="349" />
        <source>Add a media server…</source>
        <translation>添加媒体服务器…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="350" />
        <source>Log in to your Alist, OpenList, Emby or Jellyfin server</source>
        <translation>登录你的 Alist、OpenList、Emby 或 Jellyfin 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="351" />
        <source>No Bilibili account yet</source>
        <translation>还没有 B站账号</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="354" />
        <source>Log in to sync your favorites, watch later and videos only members can see. Scan a QR code with the Bilibili app, or paste cookies from a browser where you are logged in. Public lists sync without an account.</source>
        <translation>登录后即可同步收藏夹、稍后再看和会员专享视频。用哔哩哔哩 App 扫码，或粘贴已登录浏览器中的 Cookie。公开列表无需账号也能同步。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="367" />
        <source>VIP</source>
        <translation>大会员</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="371" />
        <source>Login expired — log in again to keep syncing</source>
        <translation>登录已失效，请重新登录以继续同步</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="372" />
        <source>Logged in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="375" />
        <location filename="../../desktop/panels/accounts.py" line="474" />
        <source>Log in again</source>
        <translation>重新登录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="385" />
        <source>List accounts</source>
        <translation>读取账号列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="388" />
        <source>Check the keyring</source>
        <translation>检查密钥环</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="435" />
        <source>Logins cannot be stored securely: no secure keyring service was found (%1). On Linux, install and unlock a Secret Service such as GNOME Keyring or KWallet (it normally starts with your desktop session). On a server, give a login to SyncDeck only through the environment variable SYNCDECK_BILIBILI_COOKIE; it is never saved.</source>
        <translation>无法安全保存登录信息：没有找到安全的密钥环服务（%1）。在 Linux 上，请安装并解锁 Secret Service，例如 GNOME Keyring 或 KWallet（通常随桌面会话启动）。在服务器上，请只通过环境变量 SYNCDECK_BILIBILI_COOKIE 把登录交给 SyncDeck；它不会被保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="441" />
        <source>A login can't be saved: no secure keyring (see the message above).</source>
        <translation>无法保存登录：没有安全的密钥环（见上方说明）。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="447" />
        <source>Scan a code with the Bilibili app on your phone</source>
        <translation>用手机上的哔哩哔哩 App 扫码</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="448" />
        <source>Use cookies copied from a logged-in browser</source>
        <translation>使用从已登录浏览器复制的 Cookie</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="457" />
        <source>The login given in SYNCDECK_BILIBILI_COOKIE has expired. Set a fresh cookie and restart SyncDeck.</source>
        <translation>SYNCDECK_BILIBILI_COOKIE 中的登录已失效。请设置新的 Cookie 并重启 SyncDeck。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="461" />
        <source>This session also uses the login given in SYNCDECK_BILIBILI_COOKIE for sources without an account. It is never saved.</source>
        <translation>本次运行还会为未绑定账号的订阅源使用 SYNCDECK_BILIBILI_COOKIE 中的登录，它不会被保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="476" />
        <source>Scan a new QR code for %1</source>
        <translation>为 %1 重新扫码登录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="557" />
        <source>Log out of %1?</source>
        <translation>要退出 %1 的登录吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/accounts.py" line="564" />
        <source>The login is removed from SyncDeck and from the system keyring. Sources that use this account stop syncing private lists until you log in again. Downloaded files are kept.</source>
        <translation>登录信息将从 SyncDeck 和系统密钥环中删除。使用该账号的订阅源在重新登录前无法同步私密列表。已下载的文件会保留。</translation>
    </message>
</context>
<context>
    <name>AddSourceDialog</name>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="231" />
        <source>Loading accounts</source>
        <translation>正在加载账号</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="242" />
        <source>Add source</source>
        <translation>添加视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="243" />
        <source>&amp;Link</source>
        <translation>链接(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="246" />
        <source>A&amp;ccount</source>
        <translation>账号(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="247" />
        <source>&amp;Folder</source>
        <translation>文件夹(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="248" />
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="250" />
        <source>The title of the list</source>
        <translation>列表的标题</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="251" />
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="249" />
        <source>Fil&amp;ter</source>
        <translation>过滤(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="245" />
        <source>Paste a link: %1</source>
        <translation>粘贴链接：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="268" />
        <source>Paste a link to see what it points at. Links to spaces, lists and b23.tv short links work, and so do short forms like fav:123.</source>
        <translation>粘贴链接即可预览其内容。支持空间、列表链接和 b23.tv 短链接，也支持 fav:123 这样的简写。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="287" />
        <source>Looking up…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="311" />
        <source>Looking up the link</source>
        <translation>正在查询链接</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="331" />
        <source>Loading the cover</source>
        <translation>正在加载封面</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="345" />
        <source>Nothing to show for this link.</source>
        <translation>这个链接没有可预览的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="355" />
        <source>Hide the list</source>
        <translation>收起列表</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="355" />
        <source>Which links work?</source>
        <translation>支持哪些链接？</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="378" />
        <source>Default: in the library, by kind and name</source>
        <translation>默认：媒体库中按类型和名称存放</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="385" />
        <source>Default: </source>
        <translation>默认：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="391" />
        <source>Paste a link first; it is checked before it can be added</source>
        <translation>请先粘贴链接，检查通过后才能添加</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="393" />
        <source>Fix the filter rules first</source>
        <translation>请先修正过滤规则</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="404" />
        <source>Adding…</source>
        <translation>正在添加…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="414" />
        <source>Adding the source</source>
        <translation>正在添加视频源</translation>
    </message>
</context>
<context>
    <name>AddToPlaylistMenu</name>
    <message>
        <location filename="../../desktop/widgets/playlist_menu.py" line="25" />
        <location filename="../../desktop/widgets/playlist_menu.py" line="32" />
        <location filename="../../desktop/widgets/playlist_menu.py" line="63" />
        <source>Add to playlist</source>
        <translation>添加到播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/playlist_menu.py" line="27" />
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/playlist_menu.py" line="53" />
        <source>No playlists yet — make one on the Playlists page</source>
        <translation>还没有播放列表——请在“播放列表”页面创建</translation>
    </message>
</context>
<context>
    <name>AddTorrentDialog</name>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="91" />
        <source>Add torrent</source>
        <translation>添加种子</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="92" />
        <source>Paste a magnet link or a URL, or drop a .torrent file here</source>
        <translation>粘贴磁力链接或网址，或将 .torrent 文件拖到此处</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="93" />
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="94" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="94" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="95" />
        <source>Download in order (to start playing early)</source>
        <translation>按顺序下载（以便提前开始播放）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="96" />
        <source>Add paused</source>
        <translation>添加后暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="99" />
        <source>Choose a .torrent file</source>
        <translation>选择 .torrent 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="100" />
        <source>Torrent files (*.torrent)</source>
        <translation>种子文件 (*.torrent)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="121" />
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="122" />
        <source>Reading the torrent</source>
        <translation>正在读取种子</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="130" />
        <source>{name} · {size} in {count} files</source>
        <translation>{name} · {size}，共 {count} 个文件</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="133" />
        <source>{name}: the files are known once the metadata arrives; all are downloaded</source>
        <translation>{name}：获取元数据后才能知道文件列表；将下载全部文件</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/add_torrent.py" line="157" />
        <source>Adding the torrent</source>
        <translation>正在添加种子</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop/app.py" line="209" />
        <source>SyncDeck already runs in the background for this data folder (syncdeck daemon). Stop it, then open the window again.</source>
        <translation>此数据文件夹已有 SyncDeck 在后台运行（syncdeck daemon）。请先停止它，再打开窗口。</translation>
    </message>
</context>
<context>
    <name>BrowseDialog</name>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="179" />
        <source>Browse a media server</source>
        <translation>浏览媒体服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="180" />
        <source>Up one folder</source>
        <translation>上一级文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="181" />
        <source>Search this server…</source>
        <translation>在此服务器中搜索…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="182" />
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="183" />
        <source>Folder password:</source>
        <translation>文件夹密码：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="184" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="185" />
        <source>Add selected</source>
        <translation>添加所选</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="195" />
        <source>Search results for “%1”</source>
        <translation>“%1”的搜索结果</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="212" />
        <source>No media server account yet: add one in the Accounts panel.</source>
        <translation>还没有媒体服务器账号：请在“账号”面板中添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="233" />
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="272" />
        <source>This folder is empty.</source>
        <translation>此文件夹为空。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="309" />
        <source>Nothing found.</source>
        <translation>未找到任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="319" />
        <source>Wrong password for %1.</source>
        <translation>%1 的密码错误。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/browse.py" line="319" />
        <source>%1 is locked with a password.</source>
        <translation>%1 已设置密码保护。</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <location filename="../../desktop/player/controls.py" line="167" />
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="168" />
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="169" />
        <source>Play/Pause (Space)</source>
        <translation>播放/暂停（空格）</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="170" />
        <source>Shuffle</source>
        <translation>随机播放</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="171" />
        <source>Play the queue in a random order</source>
        <translation>以随机顺序播放队列</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="172" />
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="173" />
        <source>Volume (↑/↓)</source>
        <translation>音量（↑/↓）</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="174" />
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="175" />
        <source>Quality</source>
        <translation>画质</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="176" />
        <source>Subtitles</source>
        <translation>字幕</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="177" />
        <source>Danmaku</source>
        <translation>弹幕</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="178" />
        <source>Show danmaku over the video</source>
        <translation>在视频上显示弹幕</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="179" />
        <source>Open in external player</source>
        <translation>用外部播放器打开</translation>
    </message>
    <message>
        <location filename="../../desktop/player/controls.py" line="180" />
        <source>Full screen (F, double-click)</source>
        <translation>全屏（F 或双击）</translation>
    </message>
</context>
<context>
    <name>CookieLoginDialog</name>
    <message>
        <location filename="../../desktop/dialogs/cookie_login.py" line="44" />
        <source>Log in with cookies</source>
        <translation>使用 Cookie 登录</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/cookie_login.py" line="47" />
        <source>Paste the cookies of a logged-in bilibili.com tab: the Cookie header from the browser's developer tools, a cookies.txt file, or a JSON export from a cookie extension. SESSDATA, bili_jct and DedeUserID are needed.</source>
        <translation>粘贴已登录 bilibili.com 页面的 Cookie：可以是浏览器开发者工具中的 Cookie 请求头、cookies.txt 文件，或 Cookie 扩展导出的 JSON。需要包含 SESSDATA、bili_jct 和 DedeUserID。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/cookie_login.py" line="53" />
        <source>&amp;Name in SyncDeck:</source>
        <translation>在 SyncDeck 中的名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/cookie_login.py" line="54" />
        <source>Optional; the Bilibili nickname by default</source>
        <translation>可选，默认使用 B站昵称</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/cookie_login.py" line="61" />
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/cookie_login.py" line="61" />
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>EditSourceDialog</name>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="165" />
        <source>Loading accounts</source>
        <translation>正在加载账号</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="171" />
        <source>Edit source — %1</source>
        <translation>编辑视频源 — %1</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="173" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="174" />
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="175" />
        <source>&amp;Folder</source>
        <translation>文件夹(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="176" />
        <source>A&amp;ccount</source>
        <translation>账号(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="177" />
        <source>Fil&amp;ter</source>
        <translation>过滤(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="178" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="182" />
        <source>Sche&amp;dule</source>
        <translation>计划(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="200" />
        <source>Videos already downloaded are not moved; new ones go to this folder.</source>
        <translation>已下载的视频不会被移动，之后的新视频将保存到这个文件夹。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="235" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/edit_source.py" line="239" />
        <source>Saving the source</source>
        <translation>正在保存视频源</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../../desktop/panels/sources.py" line="194" />
        <source>No sources yet — paste a Bilibili link to add one</source>
        <translation>还没有视频源——粘贴一个 B 站链接来添加</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="197" />
        <source>A source is a favorites folder, a collection or series, an UP's uploads, your watch later list or a bangumi. SyncDeck keeps a copy of its videos in your library and checks it for new ones on schedule.</source>
        <translation>视频源可以是收藏夹、合集或列表、UP主的投稿、稍后再看或番剧。SyncDeck 会把其中的视频保存到你的媒体库，并按计划检查有没有新视频。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="204" />
        <source>Add source…</source>
        <translation>添加视频源…</translation>
    </message>
</context>
<context>
    <name>FolderField</name>
    <message>
        <location filename="../../desktop/dialogs/__init__.py" line="100" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/__init__.py" line="113" />
        <source>Default: </source>
        <translation>默认：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/__init__.py" line="114" />
        <source>Choose the folder for this source</source>
        <translation>选择该视频源的保存文件夹</translation>
    </message>
</context>
<context>
    <name>LineEditor</name>
    <message>
        <location filename="../../desktop/widgets/setting_editors.py" line="223" />
        <source>Choose: %1</source>
        <translation>选择：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/setting_editors.py" line="233" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
</context>
<context>
    <name>LlmAccountDialog</name>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="139" />
        <source>LLM account %1</source>
        <translation>LLM 账号 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="140" />
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="141" />
        <source>Keys</source>
        <translation>密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="142" />
        <source>Health history</source>
        <translation>健康记录</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="143" />
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="145" />
        <source>Applied to every fetched list after SyncDeck's own clean-up of names. Renames: one “regular expression =&gt; replacement” a line, in order. Allow and block: one regular expression a line, matched against the provider's id and the name.</source>
        <translation>在 SyncDeck 自行整理名称后，应用于每次获取的列表。重命名：每行一条“正则表达式 =&gt; 替换内容”，按顺序执行。仅允许与屏蔽：每行一个正则表达式，匹配服务商的 ID 和名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="150" />
        <source>Renames</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="150" />
        <source>Allow only</source>
        <translation>仅允许</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="150" />
        <source>Block</source>
        <translation>屏蔽</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="153" />
        <location filename="../../desktop/dialogs/llm_account.py" line="199" />
        <source>Save rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="154" />
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="154" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="154" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="156" />
        <source>Use</source>
        <translation>用量</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="156" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="156" />
        <source>Alias</source>
        <translation>别名</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="156" />
        <source>Input price</source>
        <translation>输入价格</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="156" />
        <source>Output price</source>
        <translation>输出价格</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="157" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="157" />
        <source>Last test</source>
        <translation>最近测试</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="159" />
        <source>Price per million tokens, in your currency; notes then show what they cost</source>
        <translation>每百万 token 的价格（以你的货币计）；笔记会显示花费</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="165" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="165" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="165" />
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="165" />
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="167" />
        <source>New keys, one a line, to replace the ones above</source>
        <translation>新密钥，每行一个，将替换上面的密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="168" />
        <source>Replace keys</source>
        <translation>替换密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="169" />
        <source>Use spent keys again</source>
        <translation>重新启用已用尽的密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="170" />
        <source>Fetch model list</source>
        <translation>获取模型列表</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="171" />
        <source>Test enabled models</source>
        <translation>测试已启用的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="195" />
        <source>Rules saved and applied to the model list</source>
        <translation>规则已保存并应用到模型列表</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="209" />
        <source>usable</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="209" />
        <source>daily quota used up</source>
        <translation>每日额度已用尽</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="209" />
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="214" />
        <source>until %1</source>
        <translation>直到 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="223" />
        <source>%1 key(s) saved in the keyring</source>
        <translation>已将 %1 个密钥保存到密钥环</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="232" />
        <source>Fetching the model list…</source>
        <translation>正在获取模型列表…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="261" />
        <source>%1 models listed</source>
        <translation>已列出 %1 个模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="265" />
        <source>set aside after errors</source>
        <translation>因出错已暂停使用</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="268" />
        <location filename="../../desktop/dialogs/llm_account.py" line="332" />
        <source>ok, %1 ms</source>
        <translation>正常，%1 毫秒</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="268" />
        <location filename="../../desktop/dialogs/llm_account.py" line="332" />
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="285" />
        <source>A price is a number of 0 or more (per million tokens)</source>
        <translation>价格须为 0 或更大的数字（每百万 token）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="294" />
        <location filename="../../desktop/dialogs/llm_account.py" line="299" />
        <source>Change model</source>
        <translation>更换模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="309" />
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_account.py" line="316" />
        <source>%1 of %2 models answered</source>
        <translation>%2 个模型中有 %1 个已响应</translation>
    </message>
</context>
<context>
    <name>LlmAccountsBox</name>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="85" />
        <source>LLM accounts (for notes)</source>
        <translation>LLM 账号（用于笔记）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="86" />
        <source>Add LLM account…</source>
        <translation>添加 LLM 账号…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="87" />
        <source>Keys, models and health…</source>
        <translation>密钥、模型与健康状态…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="88" />
        <source>Export to a gateway…</source>
        <translation>导出到网关…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="89" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="91" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="91" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="91" />
        <source>Keys / models</source>
        <translation>密钥 / 模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="91" />
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="94" />
        <source>No LLM account yet. Add an OpenAI-compatible server or a Gemini key to write notes from videos.</source>
        <translation>还没有 LLM 账号。添加一个 OpenAI 兼容服务器或 Gemini 密钥，即可根据视频撰写笔记。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="104" />
        <source>List LLM accounts</source>
        <translation>LLM 账号列表</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="110" />
        <source>OpenAI-compatible</source>
        <translation>OpenAI 兼容</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="110" />
        <source>Gemini</source>
        <translation>Gemini</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="112" />
        <source>%1/%2 keys · %3/%4 models</source>
        <translation>%1/%2 个密钥 · %3/%4 个模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="115" />
        <source>Google's default</source>
        <translation>Google 默认</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="161" />
        <location filename="../../desktop/dialogs/llm_accounts.py" line="170" />
        <source>Remove LLM account</source>
        <translation>移除 LLM 账号</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_accounts.py" line="162" />
        <source>Remove %1 and delete its keys from the keyring?</source>
        <translation>要移除 %1 并从密钥环中删除其密钥吗？</translation>
    </message>
</context>
<context>
    <name>LlmAddDialog</name>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="35" />
        <source>OpenAI-compatible (OpenAI, DeepSeek, Groq, Ollama, a gateway…)</source>
        <translation>OpenAI 兼容（OpenAI、DeepSeek、Groq、Ollama、网关…）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="36" />
        <source>Gemini (Google AI Studio key; can watch videos)</source>
        <translation>Gemini（Google AI Studio 密钥；可直接观看视频）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="41" />
        <source>One API key a line; they are used in turn and kept in the keyring</source>
        <translation>每行一个 API 密钥；轮流使用，并保存在密钥环中</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="45" />
        <location filename="../../desktop/dialogs/llm_add.py" line="49" />
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="55" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="56" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="57" />
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="58" />
        <source>API keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="59" />
        <source>Requests a minute</source>
        <translation>每分钟请求数</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="60" />
        <source>Tokens a minute</source>
        <translation>每分钟 Token 数</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="68" />
        <location filename="../../desktop/dialogs/llm_add.py" line="85" />
        <source>Add LLM account</source>
        <translation>添加 LLM 账号</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_add.py" line="74" />
        <source>empty = https://generativelanguage.googleapis.com</source>
        <translation>留空 = https://generativelanguage.googleapis.com</translation>
    </message>
</context>
<context>
    <name>LlmExportDialog</name>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="49" />
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="51" />
        <source>gpt-load address</source>
        <translation>gpt-load 地址</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="52" />
        <source>Admin key (AUTH_KEY)</source>
        <translation>管理密钥（AUTH_KEY）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="87" />
        <source>Export LLM accounts to a gateway</source>
        <translation>将 LLM 账号导出到网关</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="88" />
        <source>Write the keys themselves (otherwise environment-variable references)</source>
        <translation>写入密钥本身（否则写入环境变量引用）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="89" />
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="90" />
        <source>Save to file…</source>
        <translation>保存到文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="91" />
        <source>Apply to gpt-load</source>
        <translation>应用到 gpt-load</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="92" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="109" />
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="110" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="122" />
        <source>Nothing was written yet.</source>
        <translation>尚未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="126" />
        <source>Save gateway configuration</source>
        <translation>保存网关配置</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="136" />
        <source>Written to %1.</source>
        <translation>已写入 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/llm_export.py" line="138" />
        <source>The previous file is kept as %1.</source>
        <translation>原文件已保留为 %1。</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../desktop/panels/log.py" line="165" />
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="168" />
        <source>&amp;Level:</source>
        <translation>级别(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="170" />
        <source>Debug</source>
        <translation>调试</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="171" />
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="172" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="173" />
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="177" />
        <source>Show records of this level and above</source>
        <translation>显示该级别及以上的记录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="178" />
        <source>Search the log…</source>
        <translation>搜索日志…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="179" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="180" />
        <source>Copy the selected records (Ctrl+C)</source>
        <translation>复制选中的记录 (Ctrl+C)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="181" />
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="182" />
        <source>Remove all records from this view (the log file keeps them)</source>
        <translation>清空此处的全部记录（日志文件中仍会保留）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="183" />
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="184" />
        <source>Show the log files in the file manager</source>
        <translation>在文件管理器中显示日志文件</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="185" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="185" />
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="185" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="185" />
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="186" />
        <source>Select a record to see all of it</source>
        <translation>选中一条记录以查看完整内容</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="229" />
        <source>No records yet. SyncDeck logs what it does here while it runs.</source>
        <translation>暂无记录。SyncDeck 运行时会在这里记录它的操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="231" />
        <source>Records: %1</source>
        <translation>共 %1 条记录</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/log.py" line="233" />
        <source>Showing %1 of %2 records</source>
        <translation>显示 %1 / %2 条记录</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="36" />
        <source>Sources</source>
        <translation>视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="37" />
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="38" />
        <source>Playlists</source>
        <translation>播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="39" />
        <source>Notes</source>
        <translation>笔记</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="40" />
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="41" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="42" />
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="91" />
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="156" />
        <source>↓ %1</source>
        <translation>↓ %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/mainwindow/window.py" line="158" />
        <source>%n active</source>
        <translation><numerusform>%n 个任务进行中</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="161" />
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="163" />
        <source>Syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="167" />
        <source>Nothing to sync</source>
        <translation>暂无需要同步的视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="170" />
        <source>Next round in %1</source>
        <translation>%1 后开始下一轮</translation>
    </message>
    <message>
        <location filename="../../desktop/mainwindow/window.py" line="173" />
        <source>Risk control: cooling down, %1 left</source>
        <translation>触发风控：冷却中，剩余 %1</translation>
    </message>
</context>
<context>
    <name>NewNoteBatchDialog</name>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="103" />
        <source>Make notes</source>
        <translation>生成笔记</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="104" />
        <source>Videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="104" />
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="104" />
        <source>LLM account</source>
        <translation>LLM 账号</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="104" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="104" />
        <source>Write</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="105" />
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="105" />
        <source>At once</source>
        <translation>同时处理</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="105" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="109" />
        <source>One per line: a video file, a folder, a .txt list, a .csv, a link, source:ID or task:ID</source>
        <translation>每行一项：视频文件、文件夹、.txt 列表、.csv、链接、source:ID 或 task:ID</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="110" />
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="111" />
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="112" />
        <source>The first account</source>
        <translation>第一个账号</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="113" />
        <source>The account's default model</source>
        <translation>账号的默认模型</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="114" />
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="114" />
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="114" />
        <source>HTML</source>
        <translation>HTML</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="116" />
        <source>Next to each video</source>
        <translation>与视频放在同一位置</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="117" />
        <source>The interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="119" />
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="142" />
        <source>Videos to make notes of</source>
        <translation>要生成笔记的视频</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="150" />
        <source>A folder of videos (searched with its subfolders)</source>
        <translation>视频文件夹（包括其子文件夹）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="178" />
        <source>Add at least one video, folder or list.</source>
        <translation>请至少添加一个视频、文件夹或列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/new_note_batch.py" line="181" />
        <source>Choose at least one format to write.</source>
        <translation>请至少选择一种输出格式。</translation>
    </message>
</context>
<context>
    <name>NoteViewer</name>
    <message>
        <location filename="../../desktop/widgets/note_viewer.py" line="44" />
        <source>The note cannot be read: %1</source>
        <translation>无法读取笔记：%1</translation>
    </message>
</context>
<context>
    <name>NotesModel</name>
    <message>
        <location filename="../../desktop/models/notes.py" line="25" />
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="26" />
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="27" />
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="28" />
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="29" />
        <location filename="../../desktop/models/notes.py" line="82" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="30" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="31" />
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="32" />
        <source>Already written</source>
        <translation>已存在</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="33" />
        <source>Done, some failed</source>
        <translation>已完成，部分失败</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="36" />
        <source>Fetching from the site</source>
        <translation>正在从网站获取</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="37" />
        <location filename="../../desktop/models/notes.py" line="178" />
        <source>Transcript</source>
        <translation>转录</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="38" />
        <source>Writing</source>
        <translation>撰写中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="39" />
        <source>Key frames</source>
        <translation>关键帧</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="40" />
        <source>Saving</source>
        <translation>保存中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="41" />
        <source>Waiting to retry</source>
        <translation>等待重试</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="44" />
        <source>Subtitles</source>
        <translation>字幕</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="45" />
        <source>Speech to text</source>
        <translation>语音转文字</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="46" />
        <location filename="../../desktop/models/notes.py" line="175" />
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="78" />
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="79" />
        <location filename="../../desktop/models/notes.py" line="176" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="80" />
        <location filename="../../desktop/models/notes.py" line="177" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="81" />
        <source>Written</source>
        <translation>已写入</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="83" />
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="84" />
        <location filename="../../desktop/models/notes.py" line="179" />
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="85" />
        <location filename="../../desktop/models/notes.py" line="180" />
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <location filename="../../desktop/models/notes.py" line="181" />
        <source>Why it failed</source>
        <translation>失败原因</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <location filename="../../desktop/panels/notes.py" line="164" />
        <location filename="../../desktop/panels/notes.py" line="214" />
        <location filename="../../desktop/panels/notes.py" line="285" />
        <location filename="../../desktop/panels/notes.py" line="297" />
        <source>Notes</source>
        <translation>笔记</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="168" />
        <source>New batch…</source>
        <translation>新建批次…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="168" />
        <source>Make notes of videos, folders or lists</source>
        <translation>为视频、文件夹或列表生成笔记</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="169" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="169" />
        <source>Stop now; finished notes are kept</source>
        <translation>立即停止；已完成的笔记会保留</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="170" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="170" />
        <source>Continue where the batch stopped</source>
        <translation>从批次停止处继续</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="171" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="171" />
        <source>Stop the batch for good</source>
        <translation>彻底停止此批次</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="172" />
        <source>Retry failed</source>
        <translation>重试失败项</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="172" />
        <source>Give the failed videos another try</source>
        <translation>重新尝试失败的视频</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="173" />
        <source>Open note</source>
        <translation>打开笔记</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="173" />
        <source>Open the note file in its program</source>
        <translation>用关联程序打开笔记文件</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="178" />
        <source>No notes yet. Choose New batch… to make notes of videos, or select videos in Tasks and choose Make notes.</source>
        <translation>还没有笔记。选择“新建批次…”为视频生成笔记，或在“任务”中选中视频后选择“生成笔记”。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/notes.py" line="253" />
        <source>This video failed: %1</source>
        <translation>此视频处理失败：%1</translation>
    </message>
</context>
<context>
    <name>OrderedChoicesEditor</name>
    <message>
        <location filename="../../desktop/widgets/setting_editors.py" line="170" />
        <source>Drag to reorder; unchecked ones are never used</source>
        <translation>拖动调整顺序；未勾选的不会使用</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/setting_editors.py" line="171" />
        <source>Move up: prefer more</source>
        <translation>上移：更优先</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/setting_editors.py" line="172" />
        <source>Move down: prefer less</source>
        <translation>下移：次优先</translation>
    </message>
</context>
<context>
    <name>PathPreview</name>
    <message>
        <location filename="../../desktop/widgets/path_preview.py" line="45" />
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/path_preview.py" line="46" />
        <source>Inside the library folder %1:</source>
        <translation>在媒体库文件夹 %1 中：</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <location filename="../../desktop/player/engine.py" line="16" />
        <source>Install libmpv (apt install libmpv2 / dnf install mpv-libs / brew install mpv; on Windows put libmpv-2.dll next to SyncDeck) to play videos here, or use Open in external player.</source>
        <translation>安装 libmpv（apt install libmpv2 / dnf install mpv-libs / brew install mpv；Windows 上将 libmpv-2.dll 放在 SyncDeck 旁）即可在此播放视频，或使用“在外部播放器中打开”。</translation>
    </message>
</context>
<context>
    <name>PlayerWindow</name>
    <message>
        <location filename="../../desktop/player/window.py" line="142" />
        <source>The player could not start: %1</source>
        <translation>播放器无法启动：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="144" />
        <source>Open in external player</source>
        <translation>用外部播放器打开</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="176" />
        <source>Could not play this: %1</source>
        <translation>无法播放：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="182" />
        <source>Player</source>
        <translation>播放器</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="330" />
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="419" />
        <source>End of the queue</source>
        <translation>已到队列末尾</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="472" />
        <source>Off</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="512" />
        <source>Loop: off</source>
        <translation>循环：关</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="512" />
        <source>Loop: one</source>
        <translation>循环：单项</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="512" />
        <source>Loop: all</source>
        <translation>循环：全部</translation>
    </message>
    <message>
        <location filename="../../desktop/player/window.py" line="513" />
        <source>Repeat nothing, this item, or the whole queue</source>
        <translation>不循环、单项循环或整个队列循环</translation>
    </message>
</context>
<context>
    <name>PlaylistAddDialog</name>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="101" />
        <source>Add to “%1”</source>
        <translation>添加到“%1”</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="102" />
        <source>Paste a link to a video, a file or a stream, or a media server's ACCOUNT:PATH.</source>
        <translation>粘贴视频、文件或直播流的链接，或媒体服务器的 账号:路径。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="103" />
        <source>&amp;Link</source>
        <translation>链接(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="105" />
        <source>https://… or nas:/movies/film.mkv</source>
        <translation>https://… 或 nas:/movies/film.mkv</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="106" />
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="107" />
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="108" />
        <source>Add the folder as a dynamic folder (listed live, never copied)</source>
        <translation>作为动态文件夹添加（实时列出，不复制）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="124" />
        <source>A file or folder on a media server: %1</source>
        <translation>媒体服务器上的文件或文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="128" />
        <source>Looking it up…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="141" />
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/dialogs/playlist_add.py" line="156" />
        <source>%n parts (chosen when it plays)</source>
        <translation><numerusform>%n 个分P（播放时选择）</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/playlist_add.py" line="179" />
        <location filename="../../desktop/dialogs/playlist_add.py" line="214" />
        <source>Adding</source>
        <translation>正在添加</translation>
    </message>
</context>
<context>
    <name>PlaylistItemsModel</name>
    <message>
        <location filename="../../desktop/models/playlists.py" line="476" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/models/playlists.py" line="476" />
        <source>Provider</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/models/playlists.py" line="476" />
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../desktop/models/playlists.py" line="476" />
        <source>Resume at</source>
        <translation>续播位置</translation>
    </message>
    <message>
        <location filename="../../desktop/models/playlists.py" line="561" />
        <location filename="../../desktop/models/playlists.py" line="571" />
        <location filename="../../desktop/models/playlists.py" line="606" />
        <source>Loading the list</source>
        <translation>正在读取列表</translation>
    </message>
</context>
<context>
    <name>PlaylistTreeModel</name>
    <message>
        <location filename="../../desktop/models/playlists.py" line="174" />
        <location filename="../../desktop/models/playlists.py" line="182" />
        <source>Loading playlists</source>
        <translation>正在读取播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/models/playlists.py" line="275" />
        <location filename="../../desktop/models/playlists.py" line="286" />
        <source>Listing a folder</source>
        <translation>正在列出文件夹</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/playlists.py" line="353" />
        <source>Playlist: %n entries</source>
        <translation><numerusform>播放列表：%n 个条目</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/models/playlists.py" line="356" />
        <source>Dynamic folder: %1 %2, listed live</source>
        <translation>动态文件夹：%1 %2，实时列出</translation>
    </message>
</context>
<context>
    <name>PlaylistsPanel</name>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="212" />
        <source>Playlists</source>
        <translation>播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="217" />
        <location filename="../../desktop/panels/playlists.py" line="495" />
        <location filename="../../desktop/panels/playlists.py" line="507" />
        <location filename="../../desktop/panels/playlists.py" line="518" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="218" />
        <source>Play from here</source>
        <translation>从这里播放</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="219" />
        <location filename="../../desktop/panels/playlists.py" line="523" />
        <source>Open in external player</source>
        <translation>用外部播放器打开</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="220" />
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="221" />
        <location filename="../../desktop/panels/playlists.py" line="226" />
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="222" />
        <location filename="../../desktop/panels/playlists.py" line="651" />
        <source>Remove from playlist</source>
        <translation>从播放列表移除</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="223" />
        <location filename="../../desktop/panels/playlists.py" line="545" />
        <source>Download to library</source>
        <translation>下载到媒体库</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="224" />
        <location filename="../../desktop/panels/playlists.py" line="609" />
        <location filename="../../desktop/panels/playlists.py" line="613" />
        <source>New playlist</source>
        <translation>新建播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="225" />
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="227" />
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="228" />
        <source>Play all</source>
        <translation>全部播放</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="229" />
        <source>Move to the top level</source>
        <translation>移到最上层</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="233" />
        <source>A new playlist inside the chosen one (or at the top)</source>
        <translation>在所选播放列表内（或最上层）新建播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="234" />
        <source>Add a link or a media server's file or folder to the chosen playlist</source>
        <translation>把链接或媒体服务器上的文件、文件夹添加到所选播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="308" />
        <source>No playlists yet — “New playlist” makes one; add links to it with “Add…”.</source>
        <translation>还没有播放列表——用“新建播放列表”创建一个，再用“添加…”加入链接。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="322" />
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/playlists.py" line="324" />
        <source>%n items</source>
        <translation><numerusform>%n 项</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="326" />
        <source>Showing %1 of %2</source>
        <translation>已显示 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="330" />
        <source>This playlist is empty — add links with “Add…” or drag items here.</source>
        <translation>这个播放列表是空的——用“添加…”加入链接，或把条目拖到这里。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="332" />
        <source>This folder is empty on the server.</source>
        <translation>服务器上的这个文件夹是空的。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="371" />
        <source>The player is not part of this SyncDeck</source>
        <translation>此版本 SyncDeck 不含播放器</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="375" />
        <source>Playback is not part of this SyncDeck</source>
        <translation>此版本 SyncDeck 不含播放功能</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="380" />
        <source>Downloading single items is not part of this SyncDeck</source>
        <translation>此版本 SyncDeck 不能单独下载条目</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="382" />
        <source>Local files are on this computer already</source>
        <translation>本地文件已在这台电脑上</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="411" />
        <source>Move to</source>
        <translation>移动到</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="417" />
        <source>Add to playlist</source>
        <translation>添加到播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="436" />
        <source>No playlists yet</source>
        <translation>还没有播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="559" />
        <source>Moving entries</source>
        <translation>正在移动条目</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="566" />
        <source>Adding to the playlist</source>
        <translation>正在添加到播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="588" />
        <location filename="../../desktop/panels/playlists.py" line="680" />
        <source>Moving a playlist</source>
        <translation>正在移动播放列表</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="613" />
        <location filename="../../desktop/panels/playlists.py" line="634" />
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="634" />
        <location filename="../../desktop/panels/playlists.py" line="635" />
        <location filename="../../desktop/panels/playlists.py" line="644" />
        <location filename="../../desktop/panels/playlists.py" line="645" />
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="644" />
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="657" />
        <location filename="../../desktop/panels/playlists.py" line="662" />
        <location filename="../../desktop/panels/playlists.py" line="670" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="659" />
        <source>Remove “%1” and everything in it?</source>
        <translation>删除“%1”及其中的全部内容？</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/playlists.py" line="661" />
        <source>Only the folder's place here goes; nothing on the server changes.</source>
        <translation>只是从这里移除这个文件夹，服务器上的内容不会改变。</translation>
    </message>
</context>
<context>
    <name>PreviewCard</name>
    <message>
        <location filename="../../desktop/dialogs/add_source.py" line="110" />
        <source>By %1</source>
        <translation>来自 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/dialogs/add_source.py" line="113" />
        <source>%n episodes</source>
        <translation><numerusform>%n 集</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/dialogs/add_source.py" line="113" />
        <source>%n episode</source>
        <translation><numerusform>%n 集</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/dialogs/add_source.py" line="115" />
        <source>%n videos</source>
        <translation><numerusform>%n 个视频</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/dialogs/add_source.py" line="115" />
        <source>%n video</source>
        <translation><numerusform>%n 个视频</numerusform></translation>
    </message>
</context>
<context>
    <name>Providers</name>
    <message>
        <location filename="../../desktop/models/playlists.py" line="43" />
        <source>Direct link</source>
        <translation>直链</translation>
    </message>
    <message>
        <location filename="../../desktop/models/playlists.py" line="43" />
        <source>Local files</source>
        <translation>本地文件</translation>
    </message>
</context>
<context>
    <name>QrLoginDialog</name>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="136" />
        <source>Log in again as %1</source>
        <translation>重新登录 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="138" />
        <source>Log in with QR code</source>
        <translation>扫码登录</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="139" />
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="139" />
        <source>Get a new code</source>
        <translation>刷新二维码</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="141" />
        <source>Getting a QR code…</source>
        <translation>正在获取二维码…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="142" />
        <source>Scan with the Bilibili app</source>
        <translation>请使用哔哩哔哩 App 扫码</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="143" />
        <source>Scanned — confirm on your phone</source>
        <translation>已扫码，请在手机上确认</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="144" />
        <source>This code has expired</source>
        <translation>二维码已失效</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="145" />
        <source>Could not get a QR code</source>
        <translation>无法获取二维码</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="145" />
        <source>Login failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="146" />
        <source>Logged in as %1</source>
        <translation>已登录为 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="150" />
        <source>Open the Bilibili app on your phone, tap the scan icon and point it at this code.</source>
        <translation>打开手机上的哔哩哔哩 App，点击扫一扫，对准这个二维码。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="151" />
        <source>Tap “Confirm login” in the Bilibili app to finish.</source>
        <translation>在哔哩哔哩 App 中点击“确认登录”即可完成。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/qr_login.py" line="152" />
        <source>A code is valid for about three minutes. Get a new one to try again.</source>
        <translation>二维码约三分钟内有效，请获取新的二维码重试。</translation>
    </message>
</context>
<context>
    <name>RulesField</name>
    <message>
        <location filename="../../desktop/dialogs/__init__.py" line="226" />
        <source>Optional, e.g. title contains tutorial and duration &gt; 60</source>
        <translation>可选，例如 title contains 教程 and duration &gt; 60</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/__init__.py" line="229" />
        <source>Only videos that match are downloaded. Conditions on title, tags, duration, page_count, pub_time, fav_time, multi_upper, size (e.g. size &lt; 2GiB); join them with and / or; prefix not to negate.</source>
        <translation>只下载符合规则的视频。可用的条件字段：title、tags、duration、page_count、pub_time、fav_time、multi_upper、size（例如 size &lt; 2GiB）；用 and / or 连接，前面加 not 表示取反。</translation>
    </message>
</context>
<context>
    <name>ScheduleInput</name>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="150" />
        <source>cron %1</source>
        <translation>cron %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/widgets/schedule_input.py" line="153" />
        <source>every %n h</source>
        <translation><numerusform>每 %n 小时</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/widgets/schedule_input.py" line="155" />
        <source>every %n min</source>
        <translation><numerusform>每 %n 分钟</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/widgets/schedule_input.py" line="156" />
        <source>every %n s</source>
        <translation><numerusform>每 %n 秒</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="182" />
        <source>Saved as %1 seconds, not a whole number of minutes; shown rounded.</source>
        <translation>已保存的值为 %1 秒，不是整分钟数；此处显示为四舍五入后的分钟数。</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="192" />
        <source>Next rounds: %1</source>
        <translation>接下来几轮：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="200" />
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="200" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="200" />
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="202" />
        <source>A round starts every %1.</source>
        <translation>每隔 %1 开始一轮同步。</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="207" />
        <source>Global schedule (%1)</source>
        <translation>全局计划（%1）</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="208" />
        <source>Every</source>
        <translation>每隔</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="209" />
        <source>Cron</source>
        <translation>Cron 表达式</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="213" />
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="214" />
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="215" />
        <source>Start rounds at a fixed interval, or at the times a cron expression gives</source>
        <translation>按固定间隔开始同步，或在 cron 表达式给出的时间开始</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/schedule_input.py" line="217" />
        <source>Five fields (minute hour day month weekday) or six with the seconds first, in local time</source>
        <translation>五个字段（分 时 日 月 星期），或在最前面加上秒共六个字段，按本地时间</translation>
    </message>
</context>
<context>
    <name>ServerLoginDialog</name>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="61" />
        <source>Add a media server</source>
        <translation>添加媒体服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="64" />
        <source>Log in to your own Alist, OpenList, Emby or Jellyfin server to browse it, add its videos to playlists and mirror its folders. The login is kept in the system keyring.</source>
        <translation>登录你自己的 Alist、OpenList、Emby 或 Jellyfin 服务器，即可浏览其内容、将其中的视频加入播放列表并镜像其文件夹。登录信息保存在系统密钥环中。</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="68" />
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="68" />
        <source>&amp;Server address:</source>
        <translation>服务器地址(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="68" />
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="68" />
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="69" />
        <source>&amp;Name in SyncDeck:</source>
        <translation>在 SyncDeck 中的名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="73" />
        <source>Empty: the guest user (Alist, OpenList)</source>
        <translation>留空：使用访客用户（Alist、OpenList）</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="74" />
        <source>Optional; user@server by default</source>
        <translation>可选；默认为 用户@服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="83" />
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs/server_login.py" line="83" />
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>SettingGroup</name>
    <message>
        <location filename="../../desktop/widgets/setting_group.py" line="125" />
        <source>%1:</source>
        <translation>%1：</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <location filename="../../desktop/panels/settings.py" line="196" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="205" />
        <source>Startup:</source>
        <translation>开机启动：</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="206" />
        <source>Start SyncDeck when I log in to the computer</source>
        <translation>登录系统时自动启动 SyncDeck</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="208" />
        <source>Starting at login is not supported on this system</source>
        <translation>此系统不支持开机启动</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="210" />
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="211" />
        <source>Throw away the changes not saved yet</source>
        <translation>放弃尚未保存的更改</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="212" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="289" />
        <source>%1 sets this for now; it wins over the saved value.</source>
        <translation>当前由 %1 设定，优先于保存的值。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="306" />
        <source>Fix the settings marked in red before saving: %1.</source>
        <translation>请先修正标红的设置再保存：%1。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="309" />
        <source>Changes not saved yet.</source>
        <translation>有尚未保存的更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="325" />
        <source>(fix the name templates to see the path)</source>
        <translation>（修正命名模板后即可看到路径）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="284" />
        <source>Back to the default: %1</source>
        <translation>恢复默认值：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="334" />
        <source>Save first: this uses the saved settings</source>
        <translation>请先保存：此操作使用已保存的设置</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="336" />
        <source>Not available in this version</source>
        <translation>此版本中不可用</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="375" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="348" />
        <location filename="../../desktop/panels/settings.py" line="379" />
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="392" />
        <source>Could not change the start at login: %1</source>
        <translation>无法更改开机启动：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="399" />
        <source>Saved. The command line and the next round use these settings.</source>
        <translation>已保存。命令行和下一轮同步都会使用这些设置。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="405" />
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="411" />
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/settings.py" line="421" />
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
</context>
<context>
    <name>SourceKind</name>
    <message>
        <location filename="../../desktop/models/sources.py" line="62" />
        <source>Favorites</source>
        <translation>收藏夹</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="63" />
        <source>Collection</source>
        <translation>合集</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="64" />
        <source>Series</source>
        <translation>列表</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="65" />
        <source>Uploads</source>
        <translation>投稿</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="66" />
        <source>Watch later</source>
        <translation>稍后再看</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="67" />
        <source>Bangumi</source>
        <translation>番剧</translation>
    </message>
</context>
<context>
    <name>SourcesModel</name>
    <message>
        <location filename="../../desktop/models/sources.py" line="183" />
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="185" />
        <source>%n new</source>
        <translation><numerusform>新增 %n 个</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="186" />
        <source>Downloading %n</source>
        <translation><numerusform>正在下载 %n 个</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="228" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="229" />
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="230" />
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="231" />
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="232" />
        <source>Last scan</source>
        <translation>上次扫描</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="233" />
        <source>Next scan</source>
        <translation>下次扫描</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="234" />
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="235" />
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="236" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="237" />
        <source>Removed</source>
        <translation>已下架</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="238" />
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="243" />
        <source>Enabled sources are synced in every scheduled round</source>
        <translation>已启用的视频源会在每轮定时同步中同步</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="244" />
        <source>Videos downloaded completely</source>
        <translation>已完整下载的视频</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="245" />
        <source>Videos waiting to be downloaded or retried</source>
        <translation>等待下载或重试的视频</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="246" />
        <source>Videos that failed after all attempts (retry them in Tasks)</source>
        <translation>多次尝试后仍失败的视频（可在“任务”中重试）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="247" />
        <source>Removed upstream: no longer in the list on Bilibili (local files are kept)</source>
        <translation>已下架：B 站列表中已不存在（本地文件会保留）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="248" />
        <source>The error of the last scan, if it failed</source>
        <translation>上次扫描失败时的错误信息</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="315" />
        <source>Never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="320" />
        <source>Syncing now</source>
        <translation>正在同步</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="322" />
        <source>Off</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="355" />
        <source>No account: public lists only</source>
        <translation>未使用账号：仅限公开列表</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="358" />
        <source>Enabled: synced in every scheduled round</source>
        <translation>已启用：每轮定时同步都会同步</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="359" />
        <source>Disabled: skipped by scheduled rounds (Sync now still syncs it)</source>
        <translation>已停用：定时同步时跳过（“立即同步”仍会同步它）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="363" />
        <source>Not scanned yet</source>
        <translation>尚未扫描</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="369" />
        <source>Done %1 · Queued %2 · Paused %3 · Failed %4 · Removed upstream %5 · Unavailable %6 · Cancelled %7 · Skipped %8</source>
        <translation>已完成 %1 · 排队中 %2 · 已暂停 %3 · 失败 %4 · 已从源移除 %5 · 不可下载 %6 · 已取消 %7 · 已跳过 %8</translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="401" />
        <source>Just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="403" />
        <source>%n min ago</source>
        <translation><numerusform>%n 分钟前</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="405" />
        <source>%n h ago</source>
        <translation><numerusform>%n 小时前</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="406" />
        <source>%n d ago</source>
        <translation><numerusform>%n 天前</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/models/sources.py" line="411" />
        <source>Due now</source>
        <translation>即将进行</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="413" />
        <source>In %n min</source>
        <translation><numerusform>%n 分钟后</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="415" />
        <source>In %n h</source>
        <translation><numerusform>%n 小时后</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/models/sources.py" line="416" />
        <source>In %n d</source>
        <translation><numerusform>%n 天后</numerusform></translation>
    </message>
</context>
<context>
    <name>SourcesPanel</name>
    <message>
        <location filename="../../desktop/panels/sources.py" line="335" />
        <source>Sources</source>
        <translation>视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="340" />
        <source>Add source…</source>
        <translation>添加视频源…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="341" />
        <source>Add a source from a Bilibili link (Ctrl+N)</source>
        <translation>通过 B 站链接添加视频源（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="342" />
        <location filename="../../desktop/panels/sources.py" line="552" />
        <location filename="../../desktop/panels/sources.py" line="585" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="343" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="344" />
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="345" />
        <location filename="../../desktop/panels/sources.py" line="719" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="412" />
        <source>Loading sources</source>
        <translation>正在加载来源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="429" />
        <source>Could not load the sources: %1</source>
        <translation>无法加载视频源：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="472" />
        <source>%n sources</source>
        <translation><numerusform>%n 个视频源</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="472" />
        <source>%n source</source>
        <translation><numerusform>%n 个视频源</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="473" />
        <source>%n enabled</source>
        <translation><numerusform>%n 个已启用</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="474" />
        <source>%n videos done</source>
        <translation><numerusform>已完成 %n 个视频</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="474" />
        <source>%n video done</source>
        <translation><numerusform>已完成 %n 个视频</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="478" />
        <source>%n failed</source>
        <translation><numerusform>%n 个失败</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="487" />
        <source>A sync round is running</source>
        <translation>正在进行一轮同步</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="489" />
        <source>Sync the selected sources now (F5)</source>
        <translation>立即同步选中的视频源（F5）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="491" />
        <source>Run a sync round of all enabled sources now (F5)</source>
        <translation>立即对所有已启用的视频源进行一轮同步（F5）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="494" />
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="496" />
        <source>Skip the selected sources in scheduled rounds (Ctrl+D)</source>
        <translation>定时同步时跳过选中的视频源（Ctrl+D）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="498" />
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="500" />
        <source>Sync the selected sources in scheduled rounds (Ctrl+D)</source>
        <translation>定时同步时包含选中的视频源（Ctrl+D）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="502" />
        <source>Change the name, folder, account or filter (Ctrl+E)</source>
        <translation>修改名称、文件夹、账号或过滤规则（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="504" />
        <source>Remove the selected sources (Delete)</source>
        <translation>移除选中的视频源（Delete）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="506" />
        <source>Open the source's folder (double-click a row)</source>
        <translation>打开视频源所在的文件夹（也可双击该行）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="541" />
        <source>Added “%1”</source>
        <translation>已添加“%1”</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="549" />
        <source>Syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="560" />
        <source>A sync round is already running</source>
        <translation>已有一轮同步正在进行</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="562" />
        <source>Sync finished: %n downloaded</source>
        <translation><numerusform>同步完成：下载了 %n 个</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="567" />
        <source>with failures</source>
        <translation>有失败</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="568" />
        <source>risk control</source>
        <translation>风控</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="569" />
        <source>login expired</source>
        <translation>登录已失效</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="570" />
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="573" />
        <source>Sync ended (%1): %2 downloaded, %3 failed</source>
        <translation>同步结束（%1）：下载 %2 个，失败 %3 个</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="584" />
        <source>Sync failed</source>
        <translation>同步失败</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="604" />
        <source>Enable source</source>
        <translation>启用视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="604" />
        <source>Disable source</source>
        <translation>停用视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="609" />
        <source>Could not switch the source</source>
        <translation>无法切换视频源的启用状态</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="634" />
        <location filename="../../desktop/panels/sources.py" line="681" />
        <source>Remove sources</source>
        <translation>移除视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="634" />
        <location filename="../../desktop/panels/sources.py" line="681" />
        <source>Remove source</source>
        <translation>移除视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="636" />
        <source>Remove “%1”?</source>
        <translation>要移除“%1”吗？</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="638" />
        <source>Remove %n sources?</source>
        <translation><numerusform>要移除 %n 个视频源吗？</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="641" />
        <source>SyncDeck stops syncing and forgets the tasks. The videos it downloaded can stay in the folder, or be deleted from disk.</source>
        <translation>SyncDeck 将停止同步并清除相关任务。已下载的视频可以保留在文件夹中，也可以从磁盘删除。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="646" />
        <source>Remove and keep files</source>
        <translation>移除并保留文件</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="647" />
        <source>Remove and delete files</source>
        <translation>移除并删除文件</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="678" />
        <source>Removing…</source>
        <translation>正在移除…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="690" />
        <source>Removed the source and its files</source>
        <translation>已移除视频源并删除其文件</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="692" />
        <source>Removed the source; its files were kept</source>
        <translation>已移除视频源，文件已保留</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="695" />
        <source>Removed %n sources and their files</source>
        <translation><numerusform>已移除 %n 个视频源并删除其文件</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/panels/sources.py" line="696" />
        <source>Removed %n sources; their files were kept</source>
        <translation><numerusform>已移除 %n 个视频源，文件已保留</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="703" />
        <source>Could not remove the source</source>
        <translation>无法移除视频源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="720" />
        <source>The folder of “%1” does not exist yet.</source>
        <translation>“%1”的文件夹还不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/sources.py" line="726" />
        <source>It is created when the first video of this source is downloaded:
%1</source>
        <translation>下载该视频源的第一个视频时会自动创建：
%1</translation>
    </message>
</context>
<context>
    <name>TaskPlaylistMenu</name>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="31" />
        <source>Add to playlist</source>
        <translation>添加到播放列表</translation>
    </message>
</context>
<context>
    <name>TasksModel</name>
    <message>
        <location filename="../../desktop/models/tasks.py" line="336" />
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="337" />
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="338" />
        <source>Retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="339" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="340" />
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="342" />
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="343" />
        <source>Removed upstream</source>
        <translation>已从源移除</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="344" />
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="345" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="346" />
        <source>Unavailable</source>
        <translation>不可下载</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="348" />
        <source>Part</source>
        <translation>分P</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="350" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="350" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="350" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="350" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="350" />
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="351" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="351" />
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="351" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="351" />
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="351" />
        <source>Sub-tasks</source>
        <translation>子任务</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="352" />
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="355" />
        <source>Cover</source>
        <translation>封面</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="355" />
        <source>Show NFO</source>
        <translation>剧集 NFO</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="355" />
        <source>Avatar</source>
        <translation>头像</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="356" />
        <source>UP NFO</source>
        <translation>UP主 NFO</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="356" />
        <source>Parts</source>
        <translation>分P</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="348" />
        <location filename="../../desktop/models/tasks.py" line="356" />
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="341" />
        <source>Seeding</source>
        <translation>做种中</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="352" />
        <source>Peers (seeds)</source>
        <translation>用户（做种）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="352" />
        <source>Ratio</source>
        <translation>分享率</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="352" />
        <source>Up speed</source>
        <translation>上传速度</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="357" />
        <source>NFO</source>
        <translation>NFO</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="357" />
        <source>Danmaku</source>
        <translation>弹幕</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="357" />
        <source>Subtitles</source>
        <translation>字幕</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="362" />
        <source>C</source>
        <translation>封</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="362" />
        <source>S</source>
        <translation>剧</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="362" />
        <source>A</source>
        <translation>头</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="363" />
        <source>U</source>
        <translation>主</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="363" />
        <source>P</source>
        <translation>分</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="363" />
        <source>V</source>
        <translation>视</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="364" />
        <source>N</source>
        <translation>信</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="364" />
        <source>D</source>
        <translation>弹</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="364" />
        <source>T</source>
        <translation>字</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="366" />
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="366" />
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="367" />
        <source>gave up</source>
        <translation>已放弃</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="488" />
        <source>Counting tasks</source>
        <translation>正在统计任务</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="875" />
        <source>failed once</source>
        <translation>失败 1 次</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="875" />
        <source>failed %1 times</source>
        <translation>失败 %1 次</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="896" />
        <source>deleted or invalid upstream</source>
        <translation>已在站内删除或失效</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="897" />
        <source>charge-only video (充电专属)</source>
        <translation>充电专属视频</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="898" />
        <source>the episode has no video upstream</source>
        <translation>该集在站内没有视频</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="900" />
        <source>only a trial clip of this episode is offered: it needs a 大会员 (VIP) login</source>
        <translation>该集只提供试看片段：需要大会员账号登录</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="903" />
        <source>bangumi/film episode: add the bangumi itself as a source (ss:/ep: link)</source>
        <translation>番剧/影视的剧集：请把番剧本身添加为视频源（ss:/ep: 链接）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="912" />
        <source>deleted upstream (%1)</source>
        <translation>已在站内删除（%1）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="913" />
        <source>hidden upstream (%1)</source>
        <translation>站内不可见（%1）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="914" />
        <source>under review upstream (%1)</source>
        <translation>站内审核中（%1）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="915" />
        <source>visible to its uploader only (%1)</source>
        <translation>仅 UP 主自己可见（%1）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="920" />
        <source>not public upstream (state %1)</source>
        <translation>站内未公开（状态 %1）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="935" />
        <source>excluded by the source's filter rules</source>
        <translation>被该来源的过滤规则排除</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="940" />
        <source>Tries used by the worst sub-task (limit %1)</source>
        <translation>最差子任务已用的尝试次数（上限 %1）</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="1035" />
        <source>Loading the task list</source>
        <translation>正在加载任务列表</translation>
    </message>
    <message>
        <location filename="../../desktop/models/tasks.py" line="622" />
        <location filename="../../desktop/models/tasks.py" line="630" />
        <source>Loading parts</source>
        <translation>正在加载分P</translation>
    </message>
</context>
<context>
    <name>TasksPanel</name>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="363" />
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="367" />
        <source>&amp;State</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="368" />
        <source>S&amp;ource</source>
        <translation>来源(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="369" />
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="374" />
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="375" />
        <source>Search title or id</source>
        <translation>搜索标题或编号</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="376" />
        <source>Search titles and ids, e.g. a BV id (Ctrl+F)</source>
        <translation>按标题或编号搜索，如 BV 号（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="378" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="378" />
        <source>Stop downloading; partial files are kept</source>
        <translation>停止下载，保留已下载的部分</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="380" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="381" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="381" />
        <source>Stop, delete partial files and skip until retried</source>
        <translation>停止并删除未完成的文件，重试前不再下载</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="383" />
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="386" />
        <source>Reset failed</source>
        <translation>重置失败项</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="380" />
        <source>Continue downloading now</source>
        <translation>立即继续下载</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="370" />
        <source>Active</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="371" />
        <source>Only the videos downloading now</source>
        <translation>只显示正在下载的视频</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="379" />
        <source>Add torrent…</source>
        <translation>添加种子…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="379" />
        <source>Add a .torrent file or a magnet link</source>
        <translation>添加 .torrent 文件或磁力链接</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="384" />
        <source>Fresh attempts for failed, paused or cancelled videos, starting now</source>
        <translation>为失败、暂停或已取消的视频重新计算尝试次数，并立即开始</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="386" />
        <source>Failed sub-tasks start over now</source>
        <translation>失败的子任务立即重新开始</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="387" />
        <source>Force re-download…</source>
        <translation>强制重新下载…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="387" />
        <source>Fetch everything again, even finished files</source>
        <translation>重新获取全部内容，包括已完成的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="388" />
        <location filename="../../desktop/panels/tasks.py" line="685" />
        <location filename="../../desktop/panels/tasks.py" line="694" />
        <location filename="../../desktop/panels/tasks.py" line="699" />
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="388" />
        <source>Play the downloaded video</source>
        <translation>播放已下载的视频</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="389" />
        <location filename="../../desktop/panels/tasks.py" line="710" />
        <location filename="../../desktop/panels/tasks.py" line="716" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="389" />
        <source>Show the video's folder</source>
        <translation>打开视频所在的文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="390" />
        <source>Open on Bilibili</source>
        <translation>在 B 站打开</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="390" />
        <source>Open the video's page in the browser</source>
        <translation>在浏览器中打开视频页面</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="391" />
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="391" />
        <source>Copy the Bilibili links of the selection</source>
        <translation>复制所选视频的 B 站链接</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="392" />
        <source>Make notes…</source>
        <translation>生成笔记…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="392" />
        <source>Turn the selected videos into notes with an LLM</source>
        <translation>用 LLM 将所选视频生成笔记</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="399" />
        <source>Sub-tasks: %1</source>
        <translation>子任务：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="459" />
        <source>Loading sources</source>
        <translation>正在加载来源</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="485" />
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="488" />
        <source>1 video</source>
        <translation>1 个视频</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="488" />
        <source>%1 videos</source>
        <translation>%1 个视频</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="492" />
        <source>Showing %1 of %2</source>
        <translation>已显示 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="499" />
        <source>No videos match these filters.</source>
        <translation>没有符合筛选条件的视频。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="502" />
        <source>No videos yet — add a source on the Sources page; its videos appear here as it syncs.</source>
        <translation>还没有视频 —— 请先在“来源”页添加来源，同步时视频会出现在这里。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="629" />
        <source>Pausing</source>
        <translation>正在暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="633" />
        <source>Resuming</source>
        <translation>正在继续</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="637" />
        <source>Cancelling</source>
        <translation>正在取消</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="641" />
        <source>Retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="646" />
        <source>Resetting failed sub-tasks</source>
        <translation>正在重置失败的子任务</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="652" />
        <source>Force re-download</source>
        <translation>强制重新下载</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="655" />
        <source>Download “%1” again from scratch?</source>
        <translation>要从头重新下载“%1”吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="657" />
        <source>Download %1 videos again from scratch?</source>
        <translation>要从头重新下载这 %1 个视频吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="658" />
        <source>Every file is fetched again, starting now, even finished ones.</source>
        <translation>立即重新获取所有文件，包括已完成的。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="659" />
        <source>Re-download</source>
        <translation>重新下载</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="666" />
        <source>Re-downloading</source>
        <translation>正在重新下载</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="694" />
        <source>This video has no downloaded file yet.</source>
        <translation>这个视频还没有已下载的文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="699" />
        <source>The file is no longer at %1</source>
        <translation>文件已不在 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/panels/tasks.py" line="716" />
        <source>Nothing of this video is on disk yet.</source>
        <translation>这个视频还没有任何文件保存到磁盘。</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../desktop/widgets/setting_editors.py" line="253" />
        <source>Insert a variable. {{truncate title 40}} keeps at most 40 characters; / starts a subfolder.</source>
        <translation>插入变量。{{truncate title 40}} 最多保留 40 个字符；/ 表示子文件夹。</translation>
    </message>
</context>
<context>
    <name>TorrentDetail</name>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="93" />
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="94" />
        <source>Trackers</source>
        <translation>Tracker</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="95" />
        <source>Peers</source>
        <translation>对等节点</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="96" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="96" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="96" />
        <location filename="../../desktop/widgets/torrent_detail.py" line="99" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="96" />
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="97" />
        <source>Tracker</source>
        <translation>Tracker</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="97" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="97" />
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="98" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="98" />
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="98" />
        <source>Down</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="98" />
        <source>Up</source>
        <translation>上传</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="120" />
        <source>Loading the torrent</source>
        <translation>正在加载种子</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="132" />
        <source>{state} · {done} of {size} · peers {peers} / seeds {seeds} · ratio {ratio:.2f} · ↓ {down} ↑ {up} · ETA {eta}</source>
        <translation>{state} · {done} / {size} · 节点 {peers} / 种子 {seeds} · 分享率 {ratio:.2f} · ↓ {down} ↑ {up} · 剩余 {eta}</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_detail.py" line="158" />
        <source>Choosing files</source>
        <translation>选择文件</translation>
    </message>
</context>
<context>
    <name>TorrentMenu</name>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="50" />
        <source>Torrent</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="54" />
        <location filename="../../desktop/widgets/torrent_menu.py" line="64" />
        <source>Force start</source>
        <translation>强制开始</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="55" />
        <source>Download in order (sequential)</source>
        <translation>按顺序下载</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="56" />
        <source>Download rarest first</source>
        <translation>优先下载最稀有的分块</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="58" />
        <source>Move files…</source>
        <translation>移动文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="59" />
        <source>Edit trackers…</source>
        <translation>编辑 Tracker…</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="69" />
        <source>Sequential download</source>
        <translation>顺序下载</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="73" />
        <source>Move files</source>
        <translation>移动文件</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="74" />
        <source>Move the torrent's files to</source>
        <translation>将种子的文件移动到</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="84" />
        <source>Edit trackers</source>
        <translation>编辑 Tracker</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_menu.py" line="84" />
        <source>One tracker URL per line:</source>
        <translation>每行一个 Tracker 地址：</translation>
    </message>
</context>
<context>
    <name>TorrentSpeeds</name>
    <message>
        <location filename="../../desktop/widgets/torrent_speeds.py" line="34" />
        <source>BT ↓ {down} ↑ {up}</source>
        <translation>BT ↓ {down} ↑ {up}</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/torrent_speeds.py" line="36" />
        <source>(alternative limits)</source>
        <translation>（备用限速）</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../desktop/tray.py" line="140" />
        <source>Resume all</source>
        <translation>全部继续</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="140" />
        <source>Pause all</source>
        <translation>全部暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="145" />
        <source>Alternative speed limits</source>
        <translation>备用限速</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="151" />
        <source>Speed limits</source>
        <translation>限速</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="157" />
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/tray.py" line="159" />
        <source>syncing, %n active, %1</source>
        <translation><numerusform>同步中，%n 个任务进行中，%1</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="164" />
        <source>Bilibili risk control, resuming in %1</source>
        <translation>B 站风控冷却中，%1 后恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="166" />
        <location filename="../../desktop/tray.py" line="357" />
        <source>Bilibili risk control</source>
        <translation>触发 B 站风控</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="168" />
        <source>login expired for %1</source>
        <translation>%1 的登录已失效</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/tray.py" line="170" />
        <source>last round: %n failed</source>
        <translation><numerusform>上一轮有 %n 个失败</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="174" />
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="177" />
        <source>idle, next round in %1</source>
        <translation>空闲，%1 后开始下一轮</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="181" />
        <location filename="../../desktop/tray.py" line="212" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="182" />
        <source>Open SyncDeck</source>
        <translation>打开 SyncDeck</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="183" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="217" />
        <source>Already syncing</source>
        <translation>正在同步</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="217" />
        <source>A sync is running now; its videos will be announced.</source>
        <translation>已有一轮同步正在进行，完成后会通知新视频。</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="222" />
        <source>Sync failed</source>
        <translation>同步失败</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="245" />
        <source>SyncDeck keeps syncing in the tray</source>
        <translation>SyncDeck 会在托盘中继续同步</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="246" />
        <source>Click the tray icon to open the window; choose Quit in its menu to stop.</source>
        <translation>点击托盘图标可打开窗口；在托盘菜单中选择“退出”即可停止同步。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/tray.py" line="316" />
        <source>and %n more</source>
        <translation><numerusform>另有 %n 个</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="319" />
        <source>1 download failed — open SyncDeck to see why.</source>
        <translation>1 个下载失败，打开 SyncDeck 查看原因。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/tray.py" line="321" />
        <source>%n downloads failed — open SyncDeck to see why.</source>
        <translation><numerusform>%n 个下载失败，打开 SyncDeck 查看原因。</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="325" />
        <source>New video synced</source>
        <translation>已同步 1 个新视频</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/tray.py" line="325" />
        <source>%n new videos synced</source>
        <translation><numerusform>已同步 %n 个新视频</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="328" />
        <source>Sync finished with failures</source>
        <translation>同步完成，但有失败项</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="331" />
        <source>Sync finished</source>
        <translation>同步完成</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="332" />
        <source>No new videos.</source>
        <translation>没有新视频。</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="358" />
        <source>Paused syncing for a minute.</source>
        <translation>已暂停同步 1 分钟。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/tray.py" line="360" />
        <source>Paused syncing for %n minutes.</source>
        <translation><numerusform>已暂停同步 %n 分钟。</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="378" />
        <source>Login expired for %1</source>
        <translation>%1 的登录已失效</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="379" />
        <source>Click to log in again.</source>
        <translation>点击重新登录。</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../../desktop/panels/notes.py" line="76" />
        <source>Make notes</source>
        <translation>生成笔记</translation>
    </message>
</context>
<context>
    <name>format</name>
    <message>
        <location filename="../../desktop/format.py" line="28" />
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/format.py" line="31" />
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/format.py" line="34" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
</context>
<context><name>Setting</name><message><source>General</source><translation>常规</translation></message><message><source>Library</source><translation>媒体库</translation></message><message><source>Quality</source><translation>画质</translation></message><message><source>Downloads</source><translation>下载</translation></message><message><source>Network</source><translation>网络</translation></message><message><source>Playback</source><translation>播放</translation></message><message><source>BitTorrent</source><translation>BitTorrent</translation></message><message><source>Notes</source><translation>笔记</translation></message><message><source>Notifications</source><translation>通知</translation></message><message><source>Advanced</source><translation>高级</translation></message><message><source>Appearance</source><translation>外观</translation></message><message><source>Language</source><translation>语言</translation></message><message><source>Interface language.</source><translation>界面语言。</translation></message><message><source>Follow the system</source><translation>跟随系统</translation></message><message><source>简体中文</source><translation>简体中文</translation></message><message><source>English</source><translation>English</translation></message><message><source>Theme</source><translation>主题</translation></message><message><source>Colour scheme.</source><translation>配色方案。</translation></message><message><source>Light</source><translation>浅色</translation></message><message><source>Dark</source><translation>深色</translation></message><message><source>Window and tray</source><translation>窗口与托盘</translation></message><message><source>Closing the window</source><translation>关闭窗口时</translation></message><message><source>Closing the window keeps syncing in the tray.</source><translation>关闭窗口后在托盘中继续同步。</translation></message><message><source>On start</source><translation>启动时</translation></message><message><source>Start hidden in the tray.</source><translation>启动时隐藏到托盘。</translation></message><message><source>Folders and names</source><translation>文件夹与命名</translation></message><message><source>Library folder</source><translation>媒体库文件夹</translation></message><message><source>Folder that holds the library; empty = the system Videos folder/SyncDeck.</source><translation>存放媒体库的文件夹；留空则为系统“视频”文件夹下的 SyncDeck。</translation></message><message><source>Video folder</source><translation>视频文件夹</translation></message><message><source>Folder name of a video.</source><translation>每个视频的文件夹名。</translation></message><message><source>Video file</source><translation>视频文件</translation></message><message><source>File name of a page (movie) or episode.</source><translation>单P视频（电影）或分P（剧集）的文件名。</translation></message><message><source>Bangumi folder</source><translation>番剧文件夹</translation></message><message><source>Folder name of a bangumi.</source><translation>番剧的文件夹名。</translation></message><message><source>Episode file</source><translation>剧集文件</translation></message><message><source>File name of a bangumi episode (SxxEyy is appended).</source><translation>番剧每集的文件名（末尾自动加上 SxxEyy）。</translation></message><message><source>Dates in names</source><translation>名称中的日期</translation></message><message><source>How dates in names are written (strftime codes).</source><translation>名称中日期的写法（strftime 格式代码）。</translation></message><message><source>Movies and shows apart</source><translation>电影与剧集分开</translation></message><message><source>Put single-part videos under Movies/ and multi-part ones under Shows/ in each source's folder, for media centers that set the content type per folder.</source><translation>在每个来源的文件夹里，单 P 视频放进 Movies/，多 P 视频放进 Shows/，供按文件夹设定内容类型的媒体中心使用。</translation></message><message><source>People folder</source><translation>人物文件夹</translation></message><message><source>Folder for UP avatars and person.nfo; empty = &lt;library root&gt;/people.</source><translation>存放 UP 主头像和 person.nfo 的文件夹；留空则为 &lt;媒体库文件夹&gt;/people。</translation></message><message><source>Extra files</source><translation>附加文件</translation></message><message><source>Danmaku</source><translation>弹幕</translation></message><message><source>Write danmaku as ASS subtitles.</source><translation>将弹幕保存为 ASS 字幕。</translation></message><message><source>Subtitles</source><translation>字幕</translation></message><message><source>Write CC subtitles as SRT.</source><translation>将 CC 字幕保存为 SRT。</translation></message><message><source>AI subtitles</source><translation>AI 字幕</translation></message><message><source>Also write AI-generated subtitles.</source><translation>同时保存 AI 生成的字幕。</translation></message><message><source>Uploaders</source><translation>UP 主</translation></message><message><source>Write UP avatars and person.nfo.</source><translation>保存 UP 主头像和 person.nfo。</translation></message><message><source>NFO date</source><translation>NFO 日期</translation></message><message><source>Date written to NFO files.</source><translation>写入 NFO 文件的日期。</translation></message><message><source>When it was added to the list</source><translation>加入收藏或列表的时间</translation></message><message><source>When it was published</source><translation>发布时间</translation></message><message><source>Removed videos</source><translation>已失效视频</translation></message><message><source>Delete local files of videos removed upstream.</source><translation>删除 B站上已失效视频的本地文件。</translation></message><message><source>Video and audio quality</source><translation>视频与音频质量</translation></message><message><source>Best video</source><translation>最高画质</translation></message><message><source>Best video quality to take.</source><translation>下载的最高视频画质。</translation></message><message><source>360P</source><translation>360P</translation></message><message><source>480P</source><translation>480P</translation></message><message><source>720P</source><translation>720P</translation></message><message><source>720P 60 fps</source><translation>720P 60帧</translation></message><message><source>1080P</source><translation>1080P</translation></message><message><source>1080P high bitrate</source><translation>1080P 高码率</translation></message><message><source>1080P 60 fps</source><translation>1080P 60帧</translation></message><message><source>4K</source><translation>4K</translation></message><message><source>HDR</source><translation>HDR 真彩</translation></message><message><source>Dolby Vision</source><translation>杜比视界</translation></message><message><source>8K</source><translation>8K</translation></message><message><source>Lowest video</source><translation>最低画质</translation></message><message><source>Worst video quality to accept.</source><translation>可接受的最低视频画质。</translation></message><message><source>Best audio</source><translation>最高音质</translation></message><message><source>Best audio quality to take.</source><translation>下载的最高音质。</translation></message><message><source>64K</source><translation>64K</translation></message><message><source>132K</source><translation>132K</translation></message><message><source>192K</source><translation>192K</translation></message><message><source>Dolby Atmos</source><translation>杜比全景声</translation></message><message><source>Hi-Res lossless</source><translation>Hi-Res 无损</translation></message><message><source>Lowest audio</source><translation>最低音质</translation></message><message><source>Worst audio quality to accept.</source><translation>可接受的最低音质。</translation></message><message><source>Codecs</source><translation>编码</translation></message><message><source>Preferred codecs</source><translation>编码优先级</translation></message><message><source>Codec preference, best first; codecs left out are never downloaded.</source><translation>编码优先顺序，最优先的在前；未选的编码不会下载。</translation></message><message><source>AVC (H.264) — plays everywhere</source><translation>AVC (H.264) — 兼容性最好</translation></message><message><source>HEVC (H.265) — smaller files</source><translation>HEVC (H.265) — 文件更小</translation></message><message><source>AV1 — smallest files, needs a recent player</source><translation>AV1 — 文件最小，需要较新的播放器</translation></message><message><source>Special formats</source><translation>特殊格式</translation></message><message><source>Skip Dolby Vision video.</source><translation>不下载杜比视界视频。</translation></message><message><source>Skip HDR video.</source><translation>不下载 HDR 视频。</translation></message><message><source>Skip Dolby Atmos audio.</source><translation>不下载杜比全景声音频。</translation></message><message><source>Hi-Res audio</source><translation>Hi-Res 音频</translation></message><message><source>Skip Hi-Res lossless audio.</source><translation>不下载 Hi-Res 无损音频。</translation></message><message><source>Limits</source><translation>并发限制</translation></message><message><source>Videos at once</source><translation>同时下载视频数</translation></message><message><source>Videos downloaded at the same time; more is faster but meets risk control sooner.</source><translation>同时下载的视频数；越多越快，但也更容易触发风控。</translation></message><message><source>Pages at once</source><translation>同时下载分P数</translation></message><message><source>Pages of one multi-page video downloaded at the same time.</source><translation>同一个多P视频同时下载的分P数。</translation></message><message><source>Connections per file</source><translation>每个文件的连接数</translation></message><message><source>Connections that fetch the parts of one file at the same time.</source><translation>同时下载一个文件各部分的连接数。</translation></message><message><source>Smallest part</source><translation>最小分块</translation></message><message><source>Split a file only if each part gets at least this many MiB.</source><translation>只有每块至少有这么多 MiB 时才分块下载。</translation></message><message><source>API rate limit</source><translation>API 频率限制</translation></message><message><source>API calls</source><translation>API 调用次数</translation></message><message><source>API calls allowed per window.</source><translation>每个时间窗口内允许的 API 调用次数。</translation></message><message><source>API window</source><translation>API 时间窗口</translation></message><message><source>Length of the API rate-limit window in ms.</source><translation>API 频率限制时间窗口的长度（毫秒）。</translation></message><message><source>Attempts</source><translation>尝试次数</translation></message><message><source>Attempts per sub-task before giving up (1-4).</source><translation>每个子任务放弃前的尝试次数（1–4）。</translation></message><message><source>Schedule</source><translation>同步计划</translation></message><message><source>Sync every</source><translation>同步间隔</translation></message><message><source>Seconds between rounds (at least 60), or a cron expression.</source><translation>两轮同步之间的秒数（至少 60），或 cron 表达式。</translation></message><message><source>Risk control</source><translation>风控</translation></message><message><source>First cool-down</source><translation>首次冷却</translation></message><message><source>First cool-down after risk control, in seconds.</source><translation>触发风控后的首次冷却时间（秒）。</translation></message><message><source>Longest cool-down</source><translation>最长冷却</translation></message><message><source>Longest cool-down, in seconds.</source><translation>最长冷却时间（秒）。</translation></message><message><source>Removal checks</source><translation>失效检查</translation></message><message><source>Hours between checks for videos removed upstream.</source><translation>两次检查视频是否已失效之间的小时数。</translation></message><message><source>Stream proxy</source><translation>流代理</translation></message><message><source>When players get the local proxy's URL: auto = when the stream needs headers (Referer, cookies, tokens), prefer_proxy = whenever it can, proxy_only = always, direct_only = never.</source><translation>播放器何时使用本地代理的地址：auto = 流需要请求头（Referer、Cookie、令牌）时，prefer_proxy = 尽可能使用，proxy_only = 始终使用，direct_only = 从不使用。</translation></message><message><source>When the stream needs it</source><translation>流需要时</translation></message><message><source>Prefer the proxy</source><translation>优先使用代理</translation></message><message><source>Always through the proxy</source><translation>始终通过代理</translation></message><message><source>Never</source><translation>从未</translation></message><message><source>Per provider</source><translation>按服务商</translation></message><message><source>Per-provider policy overriding proxy.policy, as PROVIDER=POLICY (e.g. bilibili=proxy_only).</source><translation>按服务商覆盖 proxy.policy 的策略，格式为 服务商=策略（如 bilibili=proxy_only）。</translation></message><message><source>Proxy port</source><translation>代理端口</translation></message><message><source>Port of the local stream proxy on 127.0.0.1; 0 = any free port.</source><translation>本地流代理在 127.0.0.1 上的端口；0 = 任意空闲端口。</translation></message><message><source>Player</source><translation>播放器</translation></message><message><source>External player</source><translation>外部播放器</translation></message><message><source>External player command ({url} is replaced by the stream; without it the URL is appended); empty = the first of mpv, VLC, IINA, PotPlayer found.</source><translation>外部播放器命令（{url} 会被替换为流地址；不含该占位符时将地址追加在末尾）；留空则使用找到的第一个：mpv、VLC、IINA、PotPlayer。</translation></message><message><source>Subtitle format</source><translation>字幕格式</translation></message><message><source>Subtitle format handed to players (ASS keeps styles).</source><translation>交给播放器的字幕格式（ASS 可保留样式）。</translation></message><message><source>Danmaku overlay</source><translation>弹幕叠加</translation></message><message><source>Show danmaku as an overlay track while playing.</source><translation>播放时以叠加轨道显示弹幕。</translation></message><message><source>Density</source><translation>密度</translation></message><message><source>Share of the picture height danmaku may cover (0.1-1).</source><translation>弹幕最多可覆盖的画面高度比例（0.1–1）。</translation></message><message><source>Opacity</source><translation>不透明度</translation></message><message><source>Opacity of danmaku text (0.1-1).</source><translation>弹幕文字的不透明度（0.1–1）。</translation></message><message><source>Connection</source><translation>连接</translation></message><message><source>Proxy</source><translation>代理</translation></message><message><source>Proxy URL; empty = HTTP(S)_PROXY/ALL_PROXY from the environment.</source><translation>代理地址；留空则使用环境变量 HTTP(S)_PROXY/ALL_PROXY。</translation></message><message><source>CA certificates</source><translation>CA 证书</translation></message><message><source>CA bundle (PEM) to trust instead of the system store; empty = SSL_CERT_FILE or the system store.</source><translation>代替系统证书库信任的 CA 证书文件（PEM）；留空则使用 SSL_CERT_FILE 或系统证书库。</translation></message><message><source>Timeout</source><translation>超时</translation></message><message><source>How long to wait for a server to answer, in seconds.</source><translation>等待服务器响应的时间（秒）。</translation></message><message><source>External programs</source><translation>外部程序</translation></message><message><source>ffmpeg</source><translation>ffmpeg</translation></message><message><source>ffmpeg binary (a path or a name on PATH); empty = the bundled one.</source><translation>ffmpeg 程序（路径或 PATH 中的名称）；留空则使用自带的 ffmpeg。</translation></message><message><source>Download folder</source><translation>下载文件夹</translation></message><message><source>Folder new torrents download into; empty = &lt;library root&gt;/Torrents.</source><translation>新种子的下载文件夹；留空则为 &lt;媒体库文件夹&gt;/Torrents。</translation></message><message><source>Listening port</source><translation>监听端口</translation></message><message><source>Port other peers connect to; 0 = any free port.</source><translation>其他节点连接的端口；0 = 任意空闲端口。</translation></message><message><source>Listen address</source><translation>监听地址</translation></message><message><source>Address to listen on (0.0.0.0 = every network).</source><translation>监听的地址（0.0.0.0 = 所有网络）。</translation></message><message><source>DHT</source><translation>DHT</translation></message><message><source>Find peers through the DHT (torrents without trackers need it).</source><translation>通过 DHT 查找节点（没有 Tracker 的种子需要此项）。</translation></message><message><source>Peer exchange</source><translation>节点交换</translation></message><message><source>Exchange peer lists with connected peers (PEX).</source><translation>与已连接的节点交换节点列表（PEX）。</translation></message><message><source>Local discovery</source><translation>本地发现</translation></message><message><source>Find peers on the local network (LSD).</source><translation>在局域网中查找节点（LSD）。</translation></message><message><source>uTP</source><translation>uTP</translation></message><message><source>Also connect over uTP, not only TCP.</source><translation>除 TCP 外也通过 uTP 连接。</translation></message><message><source>Encryption</source><translation>加密</translation></message><message><source>Peer connection encryption.</source><translation>节点连接的加密方式。</translation></message><message><source>Prefer encrypted</source><translation>优先加密</translation></message><message><source>Require encryption</source><translation>强制加密</translation></message><message><source>Off</source><translation>已停用</translation></message><message><source>Max connections</source><translation>最大连接数</translation></message><message><source>Peer connections at most, over all torrents.</source><translation>所有种子合计的最大节点连接数。</translation></message><message><source>Several peers per address</source><translation>允许同一地址多个连接</translation></message><message><source>Allow several connections from one IP address.</source><translation>允许来自同一 IP 地址的多个连接。</translation></message><message><source>Peers through the proxy</source><translation>通过代理连接节点</translation></message><message><source>Connect to peers through the proxy of the Network page (SOCKS5 or HTTP).</source><translation>通过“网络”页设置的代理（SOCKS5 或 HTTP）连接节点。</translation></message><message><source>IP filter</source><translation>IP 过滤</translation></message><message><source>IP filter file (eMule .dat or P2P/PeerGuardian format); empty = none.</source><translation>IP 过滤文件（eMule .dat 或 P2P/PeerGuardian 格式）；留空则不过滤。</translation></message><message><source>Speed</source><translation>速度</translation></message><message><source>Download limit</source><translation>下载限速</translation></message><message><source>Download speed limit over all torrents, KiB/s; 0 = none.</source><translation>所有种子合计的下载速度上限，KiB/s；0 = 不限。</translation></message><message><source>Upload limit</source><translation>上传限速</translation></message><message><source>Upload speed limit over all torrents, KiB/s; 0 = none.</source><translation>所有种子合计的上传速度上限，KiB/s；0 = 不限。</translation></message><message><source>Alternative download limit</source><translation>备用下载限速</translation></message><message><source>Alternative download limit, KiB/s; 0 = none.</source><translation>备用下载速度上限，KiB/s；0 = 不限。</translation></message><message><source>Alternative upload limit</source><translation>备用上传限速</translation></message><message><source>Alternative upload limit, KiB/s; 0 = none.</source><translation>备用上传速度上限，KiB/s；0 = 不限。</translation></message><message><source>Alternative limits on</source><translation>启用备用限速</translation></message><message><source>Use the alternative limits now (the tray menu switches this).</source><translation>立即使用备用限速（可在托盘菜单中切换）。</translation></message><message><source>Alternative limits from</source><translation>备用限速时段</translation></message><message><source>When the alternative limits apply by themselves, e.g. 'mon-fri 08:00-18:00; sat,sun 00:00-24:00'; empty = only when switched on.</source><translation>备用限速自动生效的时段，如 'mon-fri 08:00-18:00; sat,sun 00:00-24:00'；留空则仅在手动开启时生效。</translation></message><message><source>LAN unlimited</source><translation>局域网不限速</translation></message><message><source>Peers on the local network are not held to the limits.</source><translation>局域网内的节点不受限速约束。</translation></message><message><source>Queue</source><translation>队列</translation></message><message><source>Active downloads</source><translation>同时下载数</translation></message><message><source>Torrents downloading at the same time; the rest wait queued.</source><translation>同时下载的种子数；其余种子排队等待。</translation></message><message><source>Active uploads</source><translation>同时上传数</translation></message><message><source>Torrents seeding at the same time.</source><translation>同时做种的种子数。</translation></message><message><source>Seed until ratio</source><translation>做种至分享率</translation></message><message><source>Stop seeding at this upload/download ratio; 0 = no limit.</source><translation>达到此上传/下载比率时停止做种；0 = 不限。</translation></message><message><source>Seed for</source><translation>做种时长</translation></message><message><source>Stop seeding after this many hours; 0 = no limit.</source><translation>做种达到此小时数后停止；0 = 不限。</translation></message><message><source>At the limit</source><translation>达到限制时</translation></message><message><source>What happens at a seeding limit.</source><translation>达到做种限制时的操作。</translation></message><message><source>Pause the torrent</source><translation>暂停种子</translation></message><message><source>Remove it (files kept)</source><translation>移除种子（保留文件）</translation></message><message><source>Stall time</source><translation>停滞时间</translation></message><message><source>`syncdeck sync` gives up on a torrent that made no progress for this long, in seconds.</source><translation>种子在这段时间（秒）内毫无进展时，`syncdeck sync` 将放弃该种子。</translation></message><message><source>Added files</source><translation>已添加的文件</translation></message><message><source>What happens to a .torrent file a watched folder added.</source><translation>监视文件夹添加 .torrent 文件后如何处理该文件。</translation></message><message><source>Move into the .added folder</source><translation>移到 .added 文件夹</translation></message><message><source>Delete</source><translation>删除</translation></message><message><source>Bilibili hosts</source><translation>B站服务器地址</translation></message><message><source>API</source><translation>API</translation></message><message><source>Where the Bilibili API is reached; change only for a mirror, a reverse proxy or tests.</source><translation>访问 B站 API 的地址；仅在使用镜像、反向代理或测试时修改。</translation></message><message><source>Login</source><translation>登录</translation></message><message><source>Where logins (QR codes, cookie checks) go.</source><translation>登录（二维码、Cookie 验证）所用的地址。</translation></message><message><source>Web</source><translation>网页</translation></message><message><source>Where web pages behind links are read.</source><translation>读取链接对应网页的地址。</translation></message><message><source>Where danmaku are fetched.</source><translation>获取弹幕的地址。</translation></message><message><source>Short links</source><translation>短链接</translation></message><message><source>Where b23.tv short links are resolved.</source><translation>解析 b23.tv 短链接的地址。</translation></message><message><source>LLM providers</source><translation>LLM 服务商</translation></message><message><source>Refresh model lists</source><translation>刷新模型列表</translation></message><message><source>Hours between fetches of each LLM account's model list while SyncDeck runs; 0 = only on request.</source><translation>SyncDeck 运行时，每个 LLM 账号的模型列表的获取间隔（小时）；0 = 仅在手动请求时获取。</translation></message><message><source>Answer timeout</source><translation>响应超时</translation></message><message><source>How long to wait for an LLM server to answer, in seconds.</source><translation>等待 LLM 服务器响应的时长（秒）。</translation></message><message><source>Retries</source><translation>重试次数</translation></message><message><source>Further attempts after a per-minute rate limit, a 5xx or a dropped connection.</source><translation>遇到每分钟速率限制、5xx 错误或连接中断后的额外尝试次数。</translation></message><message><source>Longest rate-limit wait</source><translation>最长限流等待</translation></message><message><source>Longest wait a per-minute rate limit may ask for (Retry-After, retryDelay) before the call fails.</source><translation>每分钟速率限制可要求的最长等待时间（Retry-After、retryDelay），超过则调用失败。</translation></message><message><source>Set a model aside after</source><translation>暂停模型的错误数</translation></message><message><source>Errors of one model within the window below that set it aside until a health check passes; 0 = never.</source><translation>同一模型在下方时间窗口内出错达到此次数，即暂停使用，直到健康检查通过；0 = 从不。</translation></message><message><source>Error window</source><translation>错误时间窗口</translation></message><message><source>The window those errors are counted in, in seconds.</source><translation>统计上述错误的时间窗口（秒）。</translation></message><message><source>Health history</source><translation>健康记录</translation></message><message><source>Health checks kept per model.</source><translation>每个模型保留的健康检查记录数。</translation></message><message><source>Upload poll</source><translation>上传轮询</translation></message><message><source>Seconds between reads of an uploaded video's state (Gemini).</source><translation>查询已上传视频状态的间隔秒数（Gemini）。</translation></message><message><source>Hooks</source><translation>钩子</translation></message><message><source>Load hooks from Python packages (entry points `syncdeck.hooks`) and from the plugins folder of the data folder.</source><translation>从 Python 包（入口点 `syncdeck.hooks`）和数据文件夹中的 plugins 文件夹加载钩子。</translation></message><message><source>Template</source><translation>模板</translation></message><message><source>Note template: a name (`syncdeck notes templates`) or a template file.</source><translation>笔记模板：模板名称（见 `syncdeck notes templates`）或模板文件。</translation></message><message><source>LLM account</source><translation>LLM 账号</translation></message><message><source>LLM account that writes notes; empty = the first account.</source><translation>用于撰写笔记的 LLM 账号；留空则使用第一个账号。</translation></message><message><source>Model</source><translation>模型</translation></message><message><source>Model of that account; empty = the account's default model.</source><translation>该账号的模型；留空则使用账号的默认模型。</translation></message><message><source>Formats</source><translation>格式</translation></message><message><source>Files written for each note.</source><translation>每条笔记要输出的文件。</translation></message><message><source>Markdown</source><translation>Markdown</translation></message><message><source>JSON</source><translation>JSON</translation></message><message><source>HTML</source><translation>HTML</translation></message><message><source>Folder</source><translation>文件夹</translation></message><message><source>Folder for notes; empty = next to each video.</source><translation>笔记文件夹；留空则与视频放在同一位置。</translation></message><message><source>Language of the notes.</source><translation>笔记的语言。</translation></message><message><source>The interface language</source><translation>界面语言</translation></message><message><source>Workers</source><translation>并发数</translation></message><message><source>Videos turned into notes at the same time.</source><translation>同时生成笔记的视频数。</translation></message><message><source>Key frames</source><translation>关键帧</translation></message><message><source>Key frames added to each note as images (0 = none).</source><translation>每条笔记中以图片形式加入的关键帧数量（0 = 不加入）。</translation></message><message><source>Piece length</source><translation>分段时长</translation></message><message><source>Long videos are read in pieces of this many minutes.</source><translation>长视频按此分钟数分段读取。</translation></message><message><source>Tries per video when the network or the provider fails for a while.</source><translation>网络或服务商暂时故障时，每个视频的尝试次数。</translation></message><message><source>Retry wait</source><translation>重试等待</translation></message><message><source>Seconds before the first new try; doubled each time.</source><translation>首次重试前等待的秒数；每次翻倍。</translation></message><message><source>Messages</source><translation>消息</translation></message><message><source>Tell me about</source><translation>通知内容</translation></message><message><source>What sends a message: round (every round, even one that found nothing), new (new videos), failed (downloads that gave up), risk (risk control), login (a login expired), notes (a note batch ended).</source><translation>哪些事会发消息：每轮同步（即使没有新内容）、新视频、下载失败（已放弃）、风控、登录过期、笔记批次结束。</translation></message><message><source>Every round</source><translation>每轮同步</translation></message><message><source>New videos</source><translation>新视频</translation></message><message><source>Failed downloads</source><translation>下载失败</translation></message><message><source>Expired logins</source><translation>登录过期</translation></message><message><source>Note batches</source><translation>笔记批次</translation></message><message><source>Gather for</source><translation>汇总时长</translation></message><message><source>Seconds to gather events outside a round into one message.</source><translation>同步轮次之外的事件，汇总多少秒后合并为一条消息。</translation></message><message><source>Send timeout</source><translation>发送超时</translation></message><message><source>Seconds a channel gets to take a message, per attempt.</source><translation>每次尝试中，一个渠道接收消息的最长秒数。</translation></message><message><source>Further attempts when a channel cannot be reached.</source><translation>渠道无法连接时再尝试的次数。</translation></message><message><source>Webhook</source><translation>Webhook</translation></message><message><source>URL</source><translation>地址</translation></message><message><source>Webhook that gets each message as a JSON POST; empty = off.</source><translation>以 JSON POST 接收每条消息的 Webhook；留空则关闭。</translation></message><message><source>Telegram</source><translation>Telegram</translation></message><message><source>Chat</source><translation>聊天</translation></message><message><source>Telegram chat id (or @channel) to message; empty = off.</source><translation>接收消息的 Telegram 聊天 ID（或 @频道）；留空则关闭。</translation></message><message><source>Bot API</source><translation>Bot API</translation></message><message><source>Telegram Bot API address.</source><translation>Telegram Bot API 地址。</translation></message><message><source>Email</source><translation>邮件</translation></message><message><source>SMTP server</source><translation>SMTP 服务器</translation></message><message><source>SMTP server for email messages; empty = off.</source><translation>发送邮件的 SMTP 服务器；留空则关闭。</translation></message><message><source>Port</source><translation>端口</translation></message><message><source>SMTP port; 0 = the usual one (25, 587 or 465 by security).</source><translation>SMTP 端口；0 表示按加密方式使用常用端口（25、587 或 465）。</translation></message><message><source>Security</source><translation>加密方式</translation></message><message><source>SMTP connection security.</source><translation>SMTP 连接的加密方式。</translation></message><message><source>None</source><translation>无</translation></message><message><source>STARTTLS</source><translation>STARTTLS</translation></message><message><source>SSL/TLS</source><translation>SSL/TLS</translation></message><message><source>SMTP login name; empty = send without logging in.</source><translation>SMTP 登录名；留空则不登录直接发送。</translation></message><message><source>From</source><translation>发件人</translation></message><message><source>Sender address; empty = the login name.</source><translation>发件地址；留空则使用登录名。</translation></message><message><source>To</source><translation>收件人</translation></message><message><source>Recipient addresses.</source><translation>收件地址。</translation></message><message><source>Send a test message</source><translation>发送测试消息</translation></message><message><source>A single video</source><translation>单个视频</translation></message><message><source>Page 2 of a multi-page video</source><translation>多P视频的第 2 P</translation></message><message><source>Episode 3 of a bangumi</source><translation>番剧第 3 集</translation></message></context></TS>