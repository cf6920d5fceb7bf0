FROM busybox
RUN <<-EOT
	echo tabbed
		echo double
	EOT
